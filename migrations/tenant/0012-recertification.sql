--liquibase formatted sql

--changeset traceline:tenant-0012-recertification splitStatements:false
--comment: When an assignment was completed, read-and-acknowledge completion by signature, and the recertification timers completions start (TRN-4, TRN-5).
ALTER TABLE training_assignment ADD COLUMN completed_at timestamptz;
ALTER TABLE training_assignment ADD CONSTRAINT training_assignment_completed_when
    CHECK ((status = 'completed') = (completed_at IS NOT NULL));
CREATE INDEX training_assignment_by_requirement_person ON training_assignment (requirement_id, person_id, cycle);
-- Read-and-acknowledge (TRN-4, issue 7 item 1 in its simplest form): the learner signs the assignment's record.
INSERT INTO signature_meaning (record_type, meaning, description, roles, signed_through) VALUES
    ('training-assignment', 'read-and-understood', 'I have read and understood this version of the document', NULL,
     'POST /me/training/{assignmentId}/acknowledgement');
--rollback ALTER TABLE training_assignment DROP CONSTRAINT training_assignment_completed_when, DROP COLUMN completed_at; DROP INDEX training_assignment_by_requirement_person;
