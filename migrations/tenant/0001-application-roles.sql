--liquibase formatted sql

--changeset traceline:tenant-0001-application-roles splitStatements:false
--comment: Application roles (permissions) of the tenant's users, kept over time (TEN-3).
CREATE TABLE role_grant (
    id              uuid PRIMARY KEY,
    user_id         text NOT NULL,   -- the identity provider's subject
    user_name       text NOT NULL,   -- printed name when granted
    role            text NOT NULL CHECK (role IN ('tenant-admin', 'quality-manager', 'document-author', 'reviewer',
                                                  'approver', 'training-admin', 'trainer', 'supervisor',
                                                  'employee', 'auditor', 'sponsor-viewer')),
    granted_at      timestamptz NOT NULL DEFAULT now(),
    granted_by      text NOT NULL,
    granted_by_name text NOT NULL,
    grant_reason    text NOT NULL CHECK (length(grant_reason) > 0),
    revoked_at      timestamptz,
    revoked_by      text,
    revoked_by_name text,
    revoke_reason   text,
    CHECK ((revoked_at IS NULL AND revoked_by IS NULL AND revoke_reason IS NULL)
        OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND length(revoke_reason) > 0))
);
-- At most one active grant of a role per user; revoked grants stay as history.
CREATE UNIQUE INDEX role_grant_active ON role_grant (user_id, role) WHERE revoked_at IS NULL;
CREATE INDEX role_grant_by_time ON role_grant (granted_at, id);

-- Grants are records of who could do what, when (Annex 11 §12): never deleted, and the only change
-- allowed is the one-time revocation of an active grant.
CREATE FUNCTION role_grant_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'role grants are never deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.revoked_at IS NOT NULL
       OR NEW.revoked_at IS NULL
       OR (NEW.id, NEW.user_id, NEW.user_name, NEW.role, NEW.granted_at, NEW.granted_by, NEW.granted_by_name,
           NEW.grant_reason)
          IS DISTINCT FROM
          (OLD.id, OLD.user_id, OLD.user_name, OLD.role, OLD.granted_at, OLD.granted_by, OLD.granted_by_name,
           OLD.grant_reason) THEN
        RAISE EXCEPTION 'a role grant can only be revoked, once' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER role_grant_guard BEFORE UPDATE OR DELETE ON role_grant
    FOR EACH ROW EXECUTE FUNCTION role_grant_guard();
--rollback DROP TABLE role_grant; DROP FUNCTION role_grant_guard();
