--liquibase formatted sql

--changeset traceline:tenant-0005-app-users splitStatements:false
--comment: The tenant's users as the platform knows them: active or deactivated (TEN-4, 11.10(d)), and the username each subject first used, which never passes to another person (11.100(a)).
CREATE TABLE app_user (
    user_id                text PRIMARY KEY,          -- the identity provider's subject
    username               text NOT NULL UNIQUE,
    name                   text NOT NULL,
    active                 boolean NOT NULL DEFAULT true,
    first_seen_at          timestamptz NOT NULL DEFAULT now(),
    status_changed_at      timestamptz,
    status_changed_by      text,
    status_changed_by_name text,
    status_reason          text
);
CREATE FUNCTION app_user_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'users are never deleted: deactivate them' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.user_id <> OLD.user_id OR NEW.username <> OLD.username THEN
        RAISE EXCEPTION 'a username stays with its person' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER app_user_guard BEFORE UPDATE OR DELETE ON app_user
    FOR EACH ROW EXECUTE FUNCTION app_user_guard();
--rollback DROP TABLE app_user; DROP FUNCTION app_user_guard();
