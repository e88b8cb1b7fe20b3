-- Privileges of the platform's runtime database role in the control schema (see db/tenant/runtime-grants.sql):
-- applied after every migration of the control schema, when the platform runs as a role other than the owner.
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role};
REVOKE ALL ON ${schema}.databasechangelog, ${schema}.databasechangeloglock FROM ${role};
