--liquibase formatted sql

--changeset traceline:tenant-0014-training-execution splitStatements:false
--comment: Training execution evidence (TRN-1, TRN-4; issue 7 items 1, 2, 5): content openings before a read-and-acknowledge, assessment question banks and attempts, blocked assignments and further attempts, append-only completion records.

-- How many submitted attempts an assessment allows before the assignment is blocked (a grant adds more).
ALTER TABLE training_requirement ADD COLUMN max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 20);

-- Blocked is not a stored status: a blocked assignment stays 'open' (the fan-out still supersedes it, a lost role or a
-- termination still cancels it), and the API shows it as 'blocked' while blocked_at is set and it is open.
ALTER TABLE training_assignment ADD COLUMN blocked_at timestamptz;
CREATE INDEX training_assignment_blocked ON training_assignment (person_id) WHERE blocked_at IS NOT NULL AND status = 'open';

-- Append-only rows: the same guard as the audit trail's (0003).
-- Each time a learner opened the version's file through their assignment: the evidence a read-and-acknowledge needs.
CREATE TABLE training_content_opening (
    id             uuid PRIMARY KEY,
    assignment_id  uuid NOT NULL REFERENCES training_assignment (id),
    person_id      uuid NOT NULL REFERENCES person (id),
    opened_by      text NOT NULL,
    opened_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX training_content_opening_by_assignment ON training_content_opening (assignment_id, opened_at);
CREATE TRIGGER training_content_opening_append_only BEFORE UPDATE OR DELETE ON training_content_opening
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER training_content_opening_no_truncate BEFORE TRUNCATE ON training_content_opening
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- The question bank of one document version. Options are [{id, text, correct}]; the key (correct) never leaves the
-- server towards a learner. A question carried forward from an earlier version names where it came from. Retired,
-- never deleted; every change is audited with its values before and after.
CREATE TABLE assessment_question (
    id                 uuid PRIMARY KEY,
    document_id        uuid NOT NULL REFERENCES document (id),
    version_id         uuid NOT NULL REFERENCES document_version (id),
    kind               text NOT NULL CHECK (kind IN ('single-choice', 'multiple-choice', 'scenario')),
    scenario           text CHECK (length(scenario) BETWEEN 1 AND 8000),
    prompt             text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 2000),
    options            jsonb NOT NULL CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) BETWEEN 2 AND 10),
    position           integer NOT NULL CHECK (position > 0),
    origin_question_id uuid REFERENCES assessment_question (id),
    origin_version_id  uuid REFERENCES document_version (id),
    active             boolean NOT NULL DEFAULT true,
    revision           integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         text NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    retired_at         timestamptz,
    retire_reason      text,
    CHECK ((kind = 'scenario') = (scenario IS NOT NULL)),
    CHECK ((origin_question_id IS NULL) = (origin_version_id IS NULL)),
    CHECK (active = (retired_at IS NULL))
);
CREATE INDEX assessment_question_by_version ON assessment_question (version_id, position);
-- Carrying a bank forward twice copies each question once.
CREATE UNIQUE INDEX assessment_question_carried_once ON assessment_question (version_id, origin_question_id)
    WHERE origin_question_id IS NOT NULL;

-- One attempt at an assignment's assessment. The paper is the questions as presented (order and option order drawn
-- from seed, with the key, for scoring on the server); pass score and attempt number are fixed when it starts. The
-- submission is the learner's signature on the attempt's record version (answers as given).
CREATE TABLE assessment_attempt (
    id             uuid PRIMARY KEY,
    assignment_id  uuid NOT NULL REFERENCES training_assignment (id),
    person_id      uuid NOT NULL REFERENCES person (id),
    attempt_no     integer NOT NULL CHECK (attempt_no > 0),
    seed           bigint NOT NULL,
    paper          jsonb NOT NULL,
    pass_score     integer NOT NULL CHECK (pass_score BETWEEN 1 AND 100),
    state          text NOT NULL DEFAULT 'in-progress' CHECK (state IN ('in-progress', 'passed', 'failed')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    submitted_at   timestamptz,
    answers        jsonb,
    correct        integer CHECK (correct >= 0),
    score          integer CHECK (score BETWEEN 0 AND 100),
    record_version integer,
    signature_id   uuid REFERENCES signature (id),
    UNIQUE (assignment_id, attempt_no),
    CHECK ((state = 'in-progress') = (submitted_at IS NULL)),
    CHECK ((state = 'in-progress') = (score IS NULL)),
    CHECK ((state = 'in-progress') = (signature_id IS NULL))
);
-- At most one attempt in progress per assignment.
CREATE UNIQUE INDEX assessment_attempt_one_open ON assessment_attempt (assignment_id) WHERE state = 'in-progress';
-- A submitted attempt is final: it moves once, from in progress to its result, and is never deleted.
CREATE FUNCTION assessment_attempt_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.state <> 'in-progress' THEN
        RAISE EXCEPTION 'assessment_attempt %: a submitted attempt is final (% refused)', OLD.id, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id <> OLD.id OR NEW.assignment_id <> OLD.assignment_id OR NEW.person_id <> OLD.person_id
       OR NEW.attempt_no <> OLD.attempt_no OR NEW.seed <> OLD.seed OR NEW.paper <> OLD.paper
       OR NEW.pass_score <> OLD.pass_score OR NEW.started_at <> OLD.started_at THEN
        RAISE EXCEPTION 'assessment_attempt %: what was presented does not change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER assessment_attempt_final BEFORE UPDATE OR DELETE ON assessment_attempt
    FOR EACH ROW EXECUTE FUNCTION assessment_attempt_final();
CREATE TRIGGER assessment_attempt_no_truncate BEFORE TRUNCATE ON assessment_attempt
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- Further attempts a supervisor or training coordinator granted to a blocked assignment, with the reason.
CREATE TABLE assessment_attempt_grant (
    id              uuid PRIMARY KEY,
    assignment_id   uuid NOT NULL REFERENCES training_assignment (id),
    attempts        integer NOT NULL CHECK (attempts BETWEEN 1 AND 5),
    reason          text NOT NULL CHECK (length(reason) > 0),
    granted_by      text NOT NULL,
    granted_by_name text NOT NULL,
    granted_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_attempt_grant_by_assignment ON assessment_attempt_grant (assignment_id);
CREATE TRIGGER assessment_attempt_grant_append_only BEFORE UPDATE OR DELETE ON assessment_attempt_grant
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER assessment_attempt_grant_no_truncate BEFORE TRUNCATE ON assessment_attempt_grant
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- Outbox of training events for notifications to consume (mail comes later): e.g. a learner's attempts are exhausted,
-- naming the supervisor to tell. Written in the transaction of its cause.
CREATE TABLE training_event (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('assessment-attempts-exhausted')),
    assignment_id    uuid NOT NULL REFERENCES training_assignment (id),
    person_id        uuid NOT NULL REFERENCES person (id),
    notify_person_id uuid REFERENCES person (id),
    payload          jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    consumed_at      timestamptz
);
CREATE INDEX training_event_unconsumed ON training_event (created_at) WHERE consumed_at IS NULL;

-- The completion record (TRN-4, 21 CFR 211.25(a)): one per completed assignment, append-only. trained_at is when the
-- training happened, recorded_at the server's clock when it was recorded; an entry more than an hour after the fact is
-- late and must say why (ALCOA+: contemporaneous, or flagged). Pinned to the document version: completing v1 is never
-- a completion of v2. trainer_id is for on-the-job and classroom training (null for online methods).
CREATE TABLE training_completion (
    id               uuid PRIMARY KEY,
    assignment_id    uuid NOT NULL UNIQUE REFERENCES training_assignment (id),
    person_id        uuid NOT NULL REFERENCES person (id),
    requirement_id   uuid NOT NULL REFERENCES training_requirement (id),
    document_id      uuid NOT NULL REFERENCES document (id),
    version_id       uuid NOT NULL REFERENCES document_version (id),
    cycle            integer NOT NULL CHECK (cycle > 0),
    method           text NOT NULL CHECK (method IN ('read-and-acknowledge', 'assessment', 'on-the-job', 'classroom')),
    result           text NOT NULL CHECK (result IN ('acknowledged', 'passed', 'completed')),
    score            integer CHECK (score BETWEEN 0 AND 100),
    pass_score       integer CHECK (pass_score BETWEEN 1 AND 100),
    trained_at       timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    late             boolean GENERATED ALWAYS AS (recorded_at - trained_at > interval '1 hour') STORED,
    reason           text,
    trainer_id       uuid REFERENCES person (id),
    recorded_by      text NOT NULL,
    recorded_by_name text NOT NULL,
    signature_id     uuid REFERENCES signature (id),
    attempt_id       uuid REFERENCES assessment_attempt (id),
    evidence         jsonb NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key  text,
    request_hash     text,
    CHECK (trained_at <= recorded_at),
    CHECK (NOT late OR length(reason) > 0),
    CHECK ((score IS NULL) = (pass_score IS NULL)),
    CHECK (score IS NULL OR score >= pass_score)
);
CREATE INDEX training_completion_by_version ON training_completion (version_id, person_id, trained_at DESC);
CREATE INDEX training_completion_by_person ON training_completion (person_id, trained_at DESC);
CREATE UNIQUE INDEX training_completion_idempotency ON training_completion (recorded_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE TRIGGER training_completion_append_only BEFORE UPDATE OR DELETE ON training_completion
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER training_completion_no_truncate BEFORE TRUNCATE ON training_completion
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- The learner signs each submitted attempt (its answers) with re-authentication; a passing one completes the assignment.
INSERT INTO signature_meaning (record_type, meaning, description, roles, signed_through) VALUES
    ('assessment-attempt', 'assessment-completed', 'I completed this assessment myself and submit these answers as my own',
     NULL, 'POST /me/training/{assignmentId}/attempts/{attemptId}/submission');
--rollback DELETE FROM signature_meaning WHERE record_type = 'assessment-attempt'; DROP TABLE training_completion; DROP TABLE training_event; DROP TABLE assessment_attempt_grant; DROP TABLE assessment_attempt; DROP FUNCTION assessment_attempt_final(); DROP TABLE assessment_question; DROP TABLE training_content_opening; ALTER TABLE training_assignment DROP COLUMN blocked_at; ALTER TABLE training_requirement DROP COLUMN max_attempts;
