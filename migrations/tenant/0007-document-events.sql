--liquibase formatted sql

--changeset traceline:tenant-0007-document-events splitStatements:false
--comment: Outbox of document events for training to consume (DOC-7): written in the transaction that makes a version effective.
CREATE TABLE document_event (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('document-version-effective')),
    document_id     uuid NOT NULL REFERENCES document (id),
    version_id      uuid NOT NULL REFERENCES document_version (id),
    training_impact text NOT NULL,
    effective_at    timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    consumed_at     timestamptz,
    UNIQUE (kind, version_id)
);
CREATE INDEX document_event_unconsumed ON document_event (created_at) WHERE consumed_at IS NULL;
--rollback DROP TABLE document_event;
