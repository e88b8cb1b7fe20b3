--liquibase formatted sql

--changeset traceline:tenant-0021-signed-late-entries
--comment: A completion recorded after the fact carries the recorder's signature like every completion record (TRN-4, 21 CFR 211.25 / 213.25(a)): record type training-completion-entry, meaning "recorded", signed through the late-entry endpoint only.
INSERT INTO signature_meaning (record_type, meaning, description, roles, signed_through) VALUES
    ('training-completion-entry', 'recorded',
     'I record that this training took place as entered, from the evidence named, on the date given',
     NULL, 'POST /training-assignments/{assignmentId}/completion');
--rollback DELETE FROM signature_meaning WHERE record_type = 'training-completion-entry';
