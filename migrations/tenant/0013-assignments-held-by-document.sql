--liquibase formatted sql

--changeset traceline:tenant-0013-assignments-held-by-document
--comment: Planning a fan-out reads the people holding an open or completed assignment of the document (previously trained); without an index for it that was a scan of every assignment of the tenant (173 ms at 2.2 million rows) before any chunk started. The new index also serves the chunk's supersede (status = 'open' implies its predicate), so it replaces the open-only one.
CREATE INDEX training_assignment_held_by_document ON training_assignment (document_id, person_id)
    WHERE status IN ('open', 'completed');
DROP INDEX training_assignment_open_by_document;
--rollback CREATE INDEX training_assignment_open_by_document ON training_assignment (document_id, person_id) WHERE status = 'open'; DROP INDEX training_assignment_held_by_document;
