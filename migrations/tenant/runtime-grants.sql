-- Privileges of the platform's runtime database role in a tenant schema. Not a changelog: SchemaMigrator
-- applies it after every migration of the schema (idempotent, in one transaction), when the platform runs as
-- a role other than the schema's owner (TRACELINE_DB_MIGRATION_USER). ${schema} and ${role} are replaced by
-- quoted identifiers.
--
-- The runtime role reads and writes business tables; it cannot rewrite history: the audit trail, record
-- versions and signatures take SELECT and INSERT only (P11-1), and nothing it may touch can be truncated.
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role};
REVOKE ALL ON ${schema}.databasechangelog, ${schema}.databasechangeloglock FROM ${role};
REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.audit_event, ${schema}.record_version, ${schema}.signature FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.audit_chain_head, ${schema}.role_grant, ${schema}.app_user FROM ${role};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${schema}.signature_meaning FROM ${role};
