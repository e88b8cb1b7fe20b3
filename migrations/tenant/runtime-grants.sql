-- Privileges of the platform's runtime database role in a tenant schema. Not a changelog: SchemaMigrator
-- applies it after every migration of the schema (idempotent, in one transaction), when the platform runs as
-- a role other than the schema's owner (TRACELINE_DB_MIGRATION_USER). ${schema} and ${role} are replaced by
-- quoted identifiers.
--
-- The runtime role reads and writes business tables; it cannot rewrite history (P11-1): it reads the audit
-- trail and appends to it only through audit_append (which links every event to the chain), record versions
-- and signatures take SELECT and INSERT only, and nothing it may touch can be truncated.
GRANT USAGE ON SCHEMA ${schema} TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role};
REVOKE ALL ON ${schema}.databasechangelog, ${schema}.databasechangeloglock FROM ${role};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${schema}.audit_event, ${schema}.audit_chain_head FROM ${role};
GRANT EXECUTE ON FUNCTION ${schema}.audit_append(text, text, text, text, text, integer, jsonb, jsonb, text, text, text, text, text, text) TO ${role};
REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.record_version, ${schema}.signature FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.role_grant, ${schema}.app_user FROM ${role};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${schema}.signature_meaning FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.document, ${schema}.document_version, ${schema}.document_number_sequence FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.document_event FROM ${role};
REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.content_blob FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.document_route_step FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.site, ${schema}.department, ${schema}.job_role, ${schema}.person, ${schema}.person_job_role, ${schema}.person_event FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.training_requirement, ${schema}.training_assignment FROM ${role};
REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.training_completion, ${schema}.training_content_opening, ${schema}.assessment_attempt_grant FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.assessment_question, ${schema}.assessment_attempt, ${schema}.training_event FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.person_qualification FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.ojt_checklist_item, ${schema}.ojt_observation, ${schema}.classroom_session, ${schema}.classroom_attendee FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.quality_event, ${schema}.capa, ${schema}.capa_action, ${schema}.quality_number FROM ${role};
REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.capa_source, ${schema}.capa_action_assignment, ${schema}.quality_revision_link FROM ${role};
REVOKE DELETE, TRUNCATE ON ${schema}.program, ${schema}.person_program FROM ${role};
