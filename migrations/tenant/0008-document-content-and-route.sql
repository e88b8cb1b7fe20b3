--liquibase formatted sql

--changeset traceline:tenant-0008-document-content-and-route splitStatements:false
--comment: Controlled files (DOC-5), signed review and approval routes (DOC-3), periodic review (DOC-6), and a guard on version state changes.

-- Content-addressed store of controlled files for the embedded default (DocumentContentStore): a file is stored
-- once under its SHA-256 and never changes; a version names the hash of its file.
CREATE TABLE content_blob (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    bytes      bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (octet_length(bytes) = size_bytes)
);
CREATE TRIGGER content_blob_append_only BEFORE UPDATE OR DELETE ON content_blob
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER content_blob_no_truncate BEFORE TRUNCATE ON content_blob
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

ALTER TABLE document_version
    ADD COLUMN content_sha256       text CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN content_media_type   text,
    ADD COLUMN content_file_name    text,
    ADD COLUMN content_size         bigint,
    ADD COLUMN content_uploaded_at  timestamptz,
    ADD COLUMN content_uploaded_by  text,
    -- The record_version (type document-version, id = this version's id) the route of the current submission signs:
    -- each submission freezes content and metadata into a new record version, so a resubmission carries no signatures.
    ADD COLUMN record_version       integer,
    ADD COLUMN record_hash          text CHECK (record_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN route_order          text CHECK (route_order IN ('sequential', 'parallel')),
    ADD COLUMN planned_effective_at timestamptz;

-- What a version's file and signed facts may do: they change only while the version is a draft, and its state moves
-- only along the lifecycle. The service checks the same rules and answers 409; this is the last line.
CREATE FUNCTION document_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.document_id <> OLD.document_id OR NEW.major <> OLD.major OR NEW.minor <> OLD.minor
       OR NEW.author_id <> OLD.author_id THEN
        RAISE EXCEPTION 'a version keeps its document, number and author' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.state <> 'draft' AND (NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
            OR NEW.change_summary <> OLD.change_summary OR NEW.training_impact <> OLD.training_impact
            OR NEW.impact_justification IS DISTINCT FROM OLD.impact_justification
            OR NEW.revision_kind <> OLD.revision_kind) THEN
        RAISE EXCEPTION 'the content of a version in state % cannot change', OLD.state USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.record_version IS DISTINCT FROM OLD.record_version OR NEW.record_hash IS DISTINCT FROM OLD.record_hash)
       AND NOT (OLD.state = 'draft' AND NEW.state = 'in-review') THEN
        RAISE EXCEPTION 'a version is frozen into a record version only on submission' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.state <> OLD.state AND NOT (
           (OLD.state = 'draft' AND NEW.state IN ('in-review', 'withdrawn'))
        OR (OLD.state = 'in-review' AND NEW.state IN ('draft', 'approved', 'withdrawn'))
        OR (OLD.state = 'approved' AND NEW.state IN ('effective', 'withdrawn'))
        OR (OLD.state = 'effective' AND NEW.state IN ('superseded', 'obsolete'))) THEN
        RAISE EXCEPTION 'a version cannot move from % to %', OLD.state, NEW.state USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.state IN ('superseded', 'obsolete', 'withdrawn') THEN
        RAISE EXCEPTION 'a % version is history: it does not change', OLD.state USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER document_version_guard BEFORE UPDATE ON document_version
    FOR EACH ROW EXECUTE FUNCTION document_version_guard();

-- The review and approval route of one submission (round = the record version it signs). Reviews come before
-- approvals; within a stage the steps are signed in position order (sequential) or in any order (parallel).
CREATE TABLE document_route_step (
    id            uuid PRIMARY KEY,
    version_id    uuid NOT NULL REFERENCES document_version (id),
    round         integer NOT NULL CHECK (round > 0),
    stage         text NOT NULL CHECK (stage IN ('review', 'approval')),
    position      integer NOT NULL CHECK (position > 0),
    assignee_id   text NOT NULL,
    assignee_name text NOT NULL,
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'signed', 'rejected', 'cancelled')),
    signature_id  uuid REFERENCES signature (id),
    decided_at    timestamptz,
    comments      text,
    UNIQUE (version_id, round, stage, position),
    UNIQUE (version_id, round, stage, assignee_id),
    CHECK ((state = 'signed') = (signature_id IS NOT NULL))
);
CREATE INDEX document_route_step_by_assignee ON document_route_step (assignee_id) WHERE state = 'pending';

-- Signatures on document versions are made through their route (POST .../versions/{id}/signatures), which records
-- the step in the signature's transaction; the generic signing endpoint refuses record types marked here.
ALTER TABLE signature_meaning ADD COLUMN signed_through text;
INSERT INTO signature_meaning (record_type, meaning, description, roles, signed_through) VALUES
    ('document-version', 'reviewed', 'I have reviewed this version of the document and its content', '{reviewer,approver,quality-manager}',
     'POST /documents/{documentId}/versions/{versionId}/signatures'),
    ('document-version', 'approved', 'I approve this version of the document for issue', '{approver}',
     'POST /documents/{documentId}/versions/{versionId}/signatures');

-- Periodic review (DOC-6): when the document is next due for review, and when it last was.
ALTER TABLE document
    ADD COLUMN next_review_at   timestamptz,
    ADD COLUMN last_reviewed_at timestamptz;
CREATE INDEX document_review_due ON document (next_review_at) WHERE status = 'effective';

ALTER TABLE document_event DROP CONSTRAINT document_event_kind_check;
ALTER TABLE document_event ADD CONSTRAINT document_event_kind_check
    CHECK (kind IN ('document-version-effective', 'document-review-due'));
ALTER TABLE document_event ALTER COLUMN training_impact DROP NOT NULL;
ALTER TABLE document_event ALTER COLUMN version_id DROP NOT NULL;
ALTER TABLE document_event ADD COLUMN due_at timestamptz;
ALTER TABLE document_event DROP CONSTRAINT document_event_kind_version_id_key;
CREATE UNIQUE INDEX document_event_once ON document_event (kind, version_id) WHERE kind = 'document-version-effective';
CREATE UNIQUE INDEX document_event_review_once ON document_event (kind, document_id, due_at) WHERE kind = 'document-review-due';
--rollback SELECT 1;
