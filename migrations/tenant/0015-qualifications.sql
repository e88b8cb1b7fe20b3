--liquibase formatted sql

--changeset traceline:tenant-0015-qualifications splitStatements:false
--comment: Qualification status (TRN-6): indexes for the point-of-use check and the qualification lists, and the qualification-check application role for shop-floor systems; qualifications that are not documents (TRN-7): PCQI, internal auditor, trainer, never deleted (P11-7).

-- The application role of machine clients (MES, LIMS, kiosks) that ask "may this person do this work now?" and
-- nothing else. The role list is extended rather than restated, so a migration before this one that added a role of
-- its own keeps it (the constraint is whatever list it is now, plus this role).
DO $$
DECLARE
    check_name text;
    definition text;
BEGIN
    SELECT c.conname, pg_get_constraintdef(c.oid) INTO check_name, definition
    FROM pg_constraint c
    WHERE c.conrelid = 'role_grant'::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%tenant-admin%';
    IF definition IS NULL OR position('ARRAY[' IN definition) = 0 THEN
        RAISE EXCEPTION 'role_grant has no role list to extend: %', definition;
    END IF;
    IF position('''qualification-check''' IN definition) = 0 THEN
        EXECUTE format('ALTER TABLE role_grant DROP CONSTRAINT %I', check_name);
        EXECUTE format('ALTER TABLE role_grant ADD CONSTRAINT %I %s', check_name,
            replace(definition, 'ARRAY[', 'ARRAY[''qualification-check''::text, '));
    END IF;
END $$;

-- The completions of one person on one document, newest first: every qualification question (the point-of-use check,
-- a person's and a document's qualification lists) reads them through this index alone. Partial on completed rows, so
-- the fan-out's inserts of open assignments never maintain it.
CREATE INDEX training_assignment_completed_by_person ON training_assignment (person_id, document_id, completed_at DESC)
    INCLUDE (version_id, method, requirement_id) WHERE status = 'completed';
-- Who has ever completed a document (a document's qualification list includes them, required or not).
CREATE INDEX training_assignment_completed_by_document ON training_assignment (document_id, person_id)
    WHERE status = 'completed';

-- Qualifications that are not a document (TRN-7): a PCQI (21 CFR 117.180, by curriculum with its certificate, or by job
-- experience with a written justification), a qualified internal auditor (IATF 16949 §7.2.3), a qualified trainer of
-- one document. Granted with evidence and a date, optionally expiring; changed with a reason; revoked with a reason,
-- once; never deleted. The revision is the ETag.
CREATE TABLE person_qualification (
    id                 uuid PRIMARY KEY,
    person_id          uuid NOT NULL REFERENCES person (id),
    kind               text NOT NULL CHECK (kind IN ('pcqi', 'internal-auditor', 'trainer')),
    -- PCQI only: how the person qualified (117.180(c)(1) curriculum, or job experience).
    basis              text CHECK (basis IN ('curriculum', 'job-experience')),
    -- Trainer only: the document the person may train others on.
    document_id        uuid REFERENCES document (id),
    scope              text CHECK (length(scope) BETWEEN 1 AND 500),
    granted_on         date NOT NULL,
    expires_on         date,
    evidence           text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 4000),
    -- Where the evidence file is kept (certificate number, DMS reference, URL); the file itself is not stored here.
    evidence_reference text CHECK (length(evidence_reference) BETWEEN 1 AND 500),
    revision           integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    granted_at         timestamptz NOT NULL DEFAULT now(),
    granted_by         text NOT NULL,
    granted_by_name    text NOT NULL,
    grant_reason       text NOT NULL CHECK (length(grant_reason) > 0),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    revoked_at         timestamptz,
    revoked_by         text,
    revoked_by_name    text,
    revoke_reason      text,
    CHECK ((kind = 'pcqi') = (basis IS NOT NULL)),
    CHECK ((kind = 'trainer') = (document_id IS NOT NULL)),
    CHECK (expires_on IS NULL OR expires_on > granted_on),
    CHECK ((revoked_at IS NULL AND revoked_by IS NULL AND revoke_reason IS NULL)
        OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND length(revoke_reason) > 0))
);
CREATE INDEX person_qualification_by_person ON person_qualification (person_id, id);
CREATE INDEX person_qualification_trainers ON person_qualification (document_id, person_id)
    WHERE kind = 'trainer' AND revoked_at IS NULL;
-- At most one unrevoked qualification of a kind per person (per document for trainers): a renewal changes it.
CREATE UNIQUE INDEX person_qualification_once ON person_qualification (person_id, kind,
    coalesce(document_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE revoked_at IS NULL;

-- The record of who was qualified for what, when: never deleted; who, what and when it was granted never change; a
-- revoked qualification is history and changes no more.
CREATE FUNCTION person_qualification_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'qualifications are never deleted: revoke them' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'a revoked qualification is history: it does not change' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.person_id, NEW.kind, NEW.document_id, NEW.granted_at, NEW.granted_by, NEW.granted_by_name,
        NEW.grant_reason) IS DISTINCT FROM (OLD.id, OLD.person_id, OLD.kind, OLD.document_id, OLD.granted_at,
        OLD.granted_by, OLD.granted_by_name, OLD.grant_reason) THEN
        RAISE EXCEPTION 'a qualification keeps its person, kind, document and grant' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER person_qualification_guard BEFORE UPDATE OR DELETE ON person_qualification
    FOR EACH ROW EXECUTE FUNCTION person_qualification_guard();
CREATE TRIGGER person_qualification_no_truncate BEFORE TRUNCATE ON person_qualification
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
--rollback DROP TABLE person_qualification; DROP FUNCTION person_qualification_guard(); DROP INDEX training_assignment_completed_by_person; DROP INDEX training_assignment_completed_by_document;
