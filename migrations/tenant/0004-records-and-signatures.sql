--liquibase formatted sql

--changeset traceline:tenant-0004-records-and-signatures splitStatements:false
--comment: Content-hashed record versions (11.10(a)) and electronic signatures bound to them (P11-3..P11-5).
-- Every version of every GxP record, as it was: a change is a new row, never an update. content_hash is
-- SHA-256 over the RFC 8785 canonical JSON of {recordType, recordId, version, content}.
CREATE TABLE record_version (
    record_type     text NOT NULL,
    record_id       text NOT NULL,
    version         integer NOT NULL CHECK (version > 0),
    content         jsonb NOT NULL,
    content_hash    text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text NOT NULL,
    created_by_name text NOT NULL,
    reason          text,
    PRIMARY KEY (record_type, record_id, version)
);
CREATE TRIGGER record_version_append_only BEFORE UPDATE OR DELETE ON record_version
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER record_version_no_truncate BEFORE TRUNCATE ON record_version
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- What a signature on a record type may mean, and who may sign with that meaning (NULL: any member).
CREATE TABLE signature_meaning (
    record_type text NOT NULL,
    meaning     text NOT NULL CHECK (meaning ~ '^[a-z][a-z-]{1,39}$'),
    description text NOT NULL,
    roles       text[],
    PRIMARY KEY (record_type, meaning)
);
INSERT INTO signature_meaning (record_type, meaning, description, roles) VALUES
    ('signature-policy', 'acknowledged', 'I have read the electronic signature policy and accept that my electronic signature is the legally binding equivalent of my handwritten signature', NULL),
    ('tenant-settings', 'reviewed', 'I have reviewed these settings', '{tenant-admin,quality-manager}'),
    ('tenant-settings', 'approved', 'I approve these settings', '{tenant-admin,quality-manager}'),
    ('tenant-settings', 'verified', 'I have verified these settings against the validated configuration', '{quality-manager,auditor}');

CREATE TABLE signature (
    id              uuid PRIMARY KEY,
    record_type     text NOT NULL,
    record_id       text NOT NULL,
    record_version  integer NOT NULL,
    record_hash     text NOT NULL CHECK (record_hash ~ '^[0-9a-f]{64}$'),
    meaning         text NOT NULL,
    signer_id       text NOT NULL,
    signer_username text NOT NULL,
    signer_name     text NOT NULL,
    signed_at       timestamptz NOT NULL,
    auth_method     text NOT NULL CHECK (auth_method IN ('password', 'fresh-login')),
    -- SHA-256 over the canonical JSON of the signature itself (who, what, when, meaning, record hash).
    signature_hash  text NOT NULL CHECK (signature_hash ~ '^[0-9a-f]{64}$'),
    idempotency_key text,
    request_hash    text,
    FOREIGN KEY (record_type, record_id, record_version) REFERENCES record_version (record_type, record_id, version),
    FOREIGN KEY (record_type, meaning) REFERENCES signature_meaning (record_type, meaning)
);
-- One signature per signer, meaning and record version; a retry with the same key is the same signature.
CREATE UNIQUE INDEX signature_once ON signature (record_type, record_id, record_version, signer_id, meaning);
CREATE UNIQUE INDEX signature_idempotency ON signature (signer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX signature_by_signer ON signature (signer_id, record_type, meaning);
CREATE TRIGGER signature_append_only BEFORE UPDATE OR DELETE ON signature
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER signature_no_truncate BEFORE TRUNCATE ON signature
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
--rollback DROP TABLE signature; DROP TABLE signature_meaning; DROP TABLE record_version;
