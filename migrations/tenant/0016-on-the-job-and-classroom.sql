--liquibase formatted sql

--changeset traceline:tenant-0016-on-the-job-and-classroom splitStatements:false
--comment: On-the-job practicals and classroom sessions (TRN-1, TRN-4, PPL-4; issue 7 items 3, 4): checklists per document version, observations signed by a qualified trainer and by the learner, classroom sessions whose attendance the trainer signs and whose attendees with a login confirm.

-- The on-the-job checklist of one document version: what the trainer must see the learner do. Kept like the assessment
-- question bank (0014): changed with a reason, retired rather than deleted, carried forward into the next version (a
-- copy names the item and version it came from); every change is audited with its values before and after.
CREATE TABLE ojt_checklist_item (
    id                uuid PRIMARY KEY,
    document_id       uuid NOT NULL REFERENCES document (id),
    version_id        uuid NOT NULL REFERENCES document_version (id),
    text              text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    criteria          text CHECK (length(criteria) BETWEEN 1 AND 4000),
    position          integer NOT NULL CHECK (position > 0),
    origin_item_id    uuid REFERENCES ojt_checklist_item (id),
    origin_version_id uuid REFERENCES document_version (id),
    active            boolean NOT NULL DEFAULT true,
    revision          integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        text NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    retired_at        timestamptz,
    retire_reason     text,
    CHECK ((origin_item_id IS NULL) = (origin_version_id IS NULL)),
    CHECK (active = (retired_at IS NULL))
);
CREATE INDEX ojt_checklist_item_by_version ON ojt_checklist_item (version_id, position);
-- Carrying a checklist forward twice copies each item once.
CREATE UNIQUE INDEX ojt_checklist_item_carried_once ON ojt_checklist_item (version_id, origin_item_id)
    WHERE origin_item_id IS NOT NULL;

-- One observation of a learner at work by a trainer (person ids), against the version's checklist as it was: results
-- hold every item with its text, whether it was passed and the trainer's observation. Its record version (record type
-- on-the-job-observation) is what both signatures bind: the trainer's ("verified") and then the learner's ("trained"),
-- whose signature completes the assignment. An observation with an item not passed is an unsuccessful one: the trainer
-- signs it, the learner does not, the assignment stays open. States:
--   unsigned          recorded, the trainer's signature pending (a wrong password leaves it so; a new one replaces it)
--   withdrawn         replaced by a newer observation before the trainer signed it
--   unsuccessful      signed by the trainer with an item not passed
--   awaiting-learner  signed by the trainer, every item passed; the learner signs or declines
--   completed         signed by both; the completion record names it
--   declined          the learner disagreed, with a reason: void
CREATE TABLE ojt_observation (
    id                   uuid PRIMARY KEY,
    assignment_id        uuid NOT NULL REFERENCES training_assignment (id),
    person_id            uuid NOT NULL REFERENCES person (id),
    trainer_id           uuid NOT NULL REFERENCES person (id),
    document_id          uuid NOT NULL REFERENCES document (id),
    version_id           uuid NOT NULL REFERENCES document_version (id),
    observed_at          timestamptz NOT NULL,
    location             text CHECK (length(location) BETWEEN 1 AND 200),
    results              jsonb NOT NULL CHECK (jsonb_typeof(results) = 'array' AND jsonb_array_length(results) > 0),
    outcome              text NOT NULL CHECK (outcome IN ('passed', 'not-passed')),
    state                text NOT NULL DEFAULT 'unsigned'
        CHECK (state IN ('unsigned', 'withdrawn', 'unsuccessful', 'awaiting-learner', 'completed', 'declined')),
    record_version       integer NOT NULL CHECK (record_version > 0),
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    recorded_by          text NOT NULL,
    recorded_by_name     text NOT NULL,
    trainer_signature_id uuid REFERENCES signature (id),
    learner_signature_id uuid REFERENCES signature (id),
    closed_at            timestamptz,
    close_reason         text,
    idempotency_key      text,
    request_hash         text,
    -- Nobody observes their own training.
    CHECK (person_id <> trainer_id),
    CHECK ((state IN ('unsigned', 'withdrawn')) = (trainer_signature_id IS NULL)),
    CHECK ((state = 'completed') = (learner_signature_id IS NOT NULL)),
    CHECK (state NOT IN ('awaiting-learner', 'completed', 'declined') OR outcome = 'passed'),
    CHECK (state <> 'unsuccessful' OR outcome = 'not-passed'),
    CHECK ((state IN ('withdrawn', 'declined')) = (length(close_reason) > 0 AND closed_at IS NOT NULL))
);
CREATE INDEX ojt_observation_by_assignment ON ojt_observation (assignment_id, recorded_at);
-- At most one observation in progress per assignment: one awaiting its trainer's or its learner's signature.
CREATE UNIQUE INDEX ojt_observation_one_pending ON ojt_observation (assignment_id)
    WHERE state IN ('unsigned', 'awaiting-learner');
CREATE UNIQUE INDEX ojt_observation_idempotency ON ojt_observation (recorded_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- What was observed never changes; an observation moves only forward through its states, and is never deleted.
CREATE FUNCTION ojt_observation_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ojt_observation %: observations are never deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.assignment_id, NEW.person_id, NEW.trainer_id, NEW.document_id, NEW.version_id, NEW.observed_at,
        NEW.location, NEW.results, NEW.outcome, NEW.record_version, NEW.recorded_at, NEW.recorded_by,
        NEW.idempotency_key, NEW.request_hash)
       IS DISTINCT FROM (OLD.id, OLD.assignment_id, OLD.person_id, OLD.trainer_id, OLD.document_id, OLD.version_id,
        OLD.observed_at, OLD.location, OLD.results, OLD.outcome, OLD.record_version, OLD.recorded_at, OLD.recorded_by,
        OLD.idempotency_key, OLD.request_hash) THEN
        RAISE EXCEPTION 'ojt_observation %: what was observed does not change', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT ((OLD.state = 'unsigned' AND NEW.state IN ('withdrawn', 'unsuccessful', 'awaiting-learner'))
         OR (OLD.state = 'awaiting-learner' AND NEW.state IN ('completed', 'declined'))) THEN
        RAISE EXCEPTION 'ojt_observation %: % cannot become %', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ojt_observation_guard BEFORE UPDATE OR DELETE ON ojt_observation
    FOR EACH ROW EXECUTE FUNCTION ojt_observation_guard();
CREATE TRIGGER ojt_observation_no_truncate BEFORE TRUNCATE ON ojt_observation
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- A classroom session of one document version, held by a trainer (a person) at a time and a place. Planned details and
-- attendees change until the trainer signs the attendance record (record type classroom-session, meaning "verified");
-- from then on the session is locked (the database refuses any change) and its signed record version is what attendees
-- with a login confirm (meaning "trained"). The revision is the ETag of the planned session.
CREATE TABLE classroom_session (
    id                   uuid PRIMARY KEY,
    document_id          uuid NOT NULL REFERENCES document (id),
    version_id           uuid NOT NULL REFERENCES document_version (id),
    trainer_id           uuid NOT NULL REFERENCES person (id),
    title                text CHECK (length(title) BETWEEN 1 AND 200),
    starts_at            timestamptz NOT NULL,
    ends_at              timestamptz,
    location             text NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
    state                text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'signed')),
    revision             integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text NOT NULL,
    created_by_name      text NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    record_version       integer CHECK (record_version > 0),
    trainer_signature_id uuid REFERENCES signature (id),
    signed_at            timestamptz,
    CHECK (ends_at IS NULL OR ends_at >= starts_at),
    CHECK ((state = 'signed') = (trainer_signature_id IS NOT NULL AND record_version IS NOT NULL AND signed_at IS NOT NULL))
);
CREATE INDEX classroom_session_by_version ON classroom_session (version_id, starts_at);
CREATE INDEX classroom_session_by_trainer ON classroom_session (trainer_id, starts_at);

-- Who is on a session and whether they came. outcome is set when the trainer signs: absent (their assignment stays
-- open), completed (no login: the trainer's signature completed it, PPL-4), awaiting-confirmation (a login: their own
-- "trained" signature completes it), confirmed (they signed).
CREATE TABLE classroom_attendee (
    session_id                uuid NOT NULL REFERENCES classroom_session (id),
    person_id                 uuid NOT NULL REFERENCES person (id),
    attendance                text NOT NULL DEFAULT 'unmarked' CHECK (attendance IN ('unmarked', 'attended', 'absent')),
    outcome                   text CHECK (outcome IN ('absent', 'completed', 'awaiting-confirmation', 'confirmed')),
    added_at                  timestamptz NOT NULL DEFAULT now(),
    added_by                  text NOT NULL,
    marked_at                 timestamptz,
    marked_by                 text,
    confirmation_signature_id uuid REFERENCES signature (id),
    confirmed_at              timestamptz,
    PRIMARY KEY (session_id, person_id),
    CHECK ((attendance = 'unmarked') = (marked_at IS NULL)),
    CHECK (outcome IS NULL OR (outcome = 'absent') = (attendance = 'absent')),
    CHECK ((outcome = 'confirmed') = (confirmation_signature_id IS NOT NULL AND confirmed_at IS NOT NULL))
);
-- The attendee's classroom assignments show "awaiting confirmation" through this index.
CREATE INDEX classroom_attendee_awaiting ON classroom_attendee (person_id) WHERE outcome = 'awaiting-confirmation';

-- A signed session is locked: its details never change again, nor does anyone join it or have their attendance
-- changed; only an attendee awaiting confirmation confirms. Nothing is deleted.
CREATE FUNCTION classroom_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'classroom_session %: sessions are never deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state = 'signed' THEN
        RAISE EXCEPTION 'classroom_session %: a signed session does not change', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id <> OLD.id OR NEW.document_id <> OLD.document_id OR NEW.version_id <> OLD.version_id
       OR NEW.created_at <> OLD.created_at OR NEW.created_by <> OLD.created_by THEN
        RAISE EXCEPTION 'classroom_session %: what the session is for does not change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER classroom_session_guard BEFORE UPDATE OR DELETE ON classroom_session
    FOR EACH ROW EXECUTE FUNCTION classroom_session_guard();
CREATE TRIGGER classroom_session_no_truncate BEFORE TRUNCATE ON classroom_session
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE FUNCTION classroom_attendee_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    session_state text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'classroom_attendee %/%: attendees are never deleted', OLD.session_id, OLD.person_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT state INTO session_state FROM classroom_session WHERE id = NEW.session_id;
    IF TG_OP = 'INSERT' THEN
        IF session_state = 'signed' OR NEW.outcome IS NOT NULL THEN
            RAISE EXCEPTION 'classroom_session %: a signed session takes no attendee', NEW.session_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.session_id <> OLD.session_id OR NEW.person_id <> OLD.person_id OR NEW.added_at <> OLD.added_at
       OR NEW.added_by <> OLD.added_by THEN
        RAISE EXCEPTION 'classroom_attendee %/%: who attends which session does not change', OLD.session_id, OLD.person_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF session_state = 'signed' AND NOT (OLD.outcome = 'awaiting-confirmation' AND NEW.outcome = 'confirmed'
        AND (NEW.attendance, NEW.marked_at, NEW.marked_by) IS NOT DISTINCT FROM (OLD.attendance, OLD.marked_at, OLD.marked_by)) THEN
        RAISE EXCEPTION 'classroom_attendee %/%: the session is signed; only a confirmation changes an attendee',
            OLD.session_id, OLD.person_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.outcome IS NOT NULL AND NOT (OLD.outcome = 'awaiting-confirmation' AND NEW.outcome = 'confirmed') THEN
        RAISE EXCEPTION 'classroom_attendee %/%: outcome % is final', OLD.session_id, OLD.person_id, OLD.outcome
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER classroom_attendee_guard BEFORE INSERT OR UPDATE OR DELETE ON classroom_attendee
    FOR EACH ROW EXECUTE FUNCTION classroom_attendee_guard();
CREATE TRIGGER classroom_attendee_no_truncate BEFORE TRUNCATE ON classroom_attendee
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- The signatures of these workflows are steps of them: the generic signing endpoint refuses them (signed_through).
INSERT INTO signature_meaning (record_type, meaning, description, roles, signed_through) VALUES
    ('on-the-job-observation', 'verified', 'I observed this person perform the work and verified each checklist item as recorded',
     NULL, 'POST /training-assignments/{assignmentId}/observations'),
    ('on-the-job-observation', 'trained', 'I was observed performing this work and confirm the observation as recorded',
     NULL, 'POST /me/training/{assignmentId}/observations/{observationId}/signature'),
    ('classroom-session', 'verified', 'I held this session and verify the attendance as recorded',
     NULL, 'POST /classroom-sessions/{sessionId}/signature'),
    ('classroom-session', 'trained', 'I attended this session and received this training',
     NULL, 'POST /me/training/{assignmentId}/attendance-confirmation');
--rollback DELETE FROM signature_meaning WHERE record_type IN ('on-the-job-observation', 'classroom-session'); DROP TABLE classroom_attendee; DROP FUNCTION classroom_attendee_guard(); DROP TABLE classroom_session; DROP FUNCTION classroom_session_guard(); DROP TABLE ojt_observation; DROP FUNCTION ojt_observation_guard(); DROP TABLE ojt_checklist_item;
