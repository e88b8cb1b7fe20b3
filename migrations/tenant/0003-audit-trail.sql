--liquibase formatted sql

--changeset traceline:tenant-0003-audit-trail splitStatements:false
--comment: The tenant's audit trail (P11-1, P11-2, Annex 11 §9): append-only, hash-chained, one row per change.
-- The head of the chain: one row, locked by every writer until its transaction ends, so concurrent writers
-- append one after another (gap-free sequence numbers, no fork, commit order = chain order).
CREATE TABLE audit_chain_head (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq       bigint NOT NULL CHECK (seq >= 0),
    last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$')
);
INSERT INTO audit_chain_head (id, seq, last_hash) VALUES (true, 0, repeat('0', 64));

CREATE TABLE audit_event (
    seq            bigint PRIMARY KEY CHECK (seq > 0),
    occurred_at    timestamptz NOT NULL,          -- the database's clock when the event joined the chain
    actor_id       text NOT NULL,                 -- the identity provider's subject, or system:traceline
    actor_name     text NOT NULL,                 -- printed name at the time
    action         text NOT NULL,
    entity_type    text NOT NULL,
    entity_id      text NOT NULL,
    entity_version integer,
    before_value   jsonb,
    after_value    jsonb,
    reason         text,
    client_id      text,                          -- the OAuth client the actor used
    client_ip      text,                          -- the connection's peer address
    forwarded_for  text,                          -- X-Forwarded-For as received (not trusted, kept as evidence)
    trace_id       text,
    prev_hash      text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash           text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_event_entity ON audit_event (entity_type, entity_id, seq);
CREATE INDEX audit_event_actor ON audit_event (actor_id, seq);
CREATE INDEX audit_event_action ON audit_event (action, seq);
CREATE INDEX audit_event_time ON audit_event (occurred_at, seq);

-- Nobody rewrites history: not the platform (its database role lacks the privileges, see runtime-grants.sql)
-- and not the schema's owner (these triggers). Tables are looked up through TG_TABLE_SCHEMA so the checks
-- do not depend on the session's search_path.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_head_kept BEFORE DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- A new event must extend the chain exactly at its head: no fork, no gap, even from a faulty writer.
CREATE FUNCTION audit_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
BEGIN
    EXECUTE format('SELECT seq, last_hash FROM %I.audit_chain_head WHERE id', TG_TABLE_SCHEMA) INTO head_seq, head_hash;
    IF NEW.seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
        RAISE EXCEPTION 'audit event % does not extend the chain at %', NEW.seq, head_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_event_extends_head BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_extends_head();

-- The head only moves forward by one, onto an event that exists with that hash.
CREATE FUNCTION audit_chain_head_moves() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    event_hash text;
BEGIN
    EXECUTE format('SELECT hash FROM %I.audit_event WHERE seq = $1', TG_TABLE_SCHEMA) INTO event_hash USING NEW.seq;
    IF NEW.seq <> OLD.seq + 1 OR event_hash IS DISTINCT FROM NEW.last_hash THEN
        RAISE EXCEPTION 'the audit chain head can only move to the event after it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_chain_head_moves BEFORE UPDATE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_moves();
--rollback DROP TABLE audit_event; DROP TABLE audit_chain_head; DROP FUNCTION audit_event_extends_head(); DROP FUNCTION audit_chain_head_moves(); DROP FUNCTION audit_append_only();
