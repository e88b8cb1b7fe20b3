--liquibase formatted sql

--changeset traceline:tenant-0003-audit-trail splitStatements:false
--comment: The tenant's audit trail (P11-1, P11-2, Annex 11 §9): append-only, hash-chained, one row per change.
-- The head of the chain: one row, locked by every append until its transaction ends, so concurrent writers
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
    -- SHA-256 of the RFC 8785 canonical JSON of the event's content (actor, action, entity, before, after,
    -- reason, source), computed by the platform.
    content_hash   text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    prev_hash      text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    -- SHA-256 of the canonical JSON {"contentHash","occurredAt","prevHash","seq"}: the link.
    hash           text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_event_entity ON audit_event (entity_type, entity_id, seq);
CREATE INDEX audit_event_actor ON audit_event (actor_id, seq);
CREATE INDEX audit_event_action ON audit_event (action, seq);
CREATE INDEX audit_event_time ON audit_event (occurred_at, seq);

-- Nobody rewrites history: not the platform (its database role may only read the trail and append through
-- audit_append, see runtime-grants.sql) and not the schema's owner (these triggers).
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

-- The one way to append: locks the head, stamps the database's clock, links the event to the one before and
-- moves the head, in one statement, so the head stays locked for one round trip and the commit only. Runs
-- with its owner's rights (the platform's role has no INSERT on the trail), on this schema only.
CREATE FUNCTION audit_append(p_actor_id text, p_actor_name text, p_action text, p_entity_type text, p_entity_id text,
                             p_entity_version integer, p_before jsonb, p_after jsonb, p_reason text, p_client_id text,
                             p_client_ip text, p_forwarded_for text, p_trace_id text, p_content_hash text)
    RETURNS TABLE (out_seq bigint, out_occurred_at timestamptz, out_prev_hash text, out_hash text)
    LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
    stamped   timestamptz;
    link      text;
BEGIN
    SELECT h.seq, h.last_hash INTO head_seq, head_hash FROM audit_chain_head h WHERE h.id FOR UPDATE;
    stamped := clock_timestamp();
    -- Canonical JSON by construction: members in RFC 8785 order, hex strings, an integer.
    link := encode(sha256(convert_to(format('{"contentHash":"%s","occurredAt":"%s","prevHash":"%s","seq":%s}',
        p_content_hash, to_char(stamped AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), head_hash, head_seq + 1),
        'UTF8')), 'hex');
    INSERT INTO audit_event (seq, occurred_at, actor_id, actor_name, action, entity_type, entity_id, entity_version,
                             before_value, after_value, reason, client_id, client_ip, forwarded_for, trace_id,
                             content_hash, prev_hash, hash)
    VALUES (head_seq + 1, stamped, p_actor_id, p_actor_name, p_action, p_entity_type, p_entity_id, p_entity_version,
            p_before, p_after, p_reason, p_client_id, p_client_ip, p_forwarded_for, p_trace_id,
            p_content_hash, head_hash, link);
    UPDATE audit_chain_head SET seq = head_seq + 1, last_hash = link WHERE id;
    RETURN QUERY SELECT head_seq + 1, stamped, head_hash, link;
END $$;
-- A SECURITY DEFINER function must not take its tables from the caller's search_path: pin this schema.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION audit_append(text, text, text, text, text, integer, jsonb, jsonb, text, text, text, '
        || 'text, text, text) SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE ALL ON FUNCTION audit_append(text, text, text, text, text, integer, jsonb, jsonb, text, text, text, text, text, text)
    FROM PUBLIC;
--rollback DROP FUNCTION audit_append(text, text, text, text, text, integer, jsonb, jsonb, text, text, text, text, text, text); DROP TABLE audit_event; DROP TABLE audit_chain_head; DROP FUNCTION audit_append_only();
