--liquibase formatted sql

--changeset traceline:tenant-0006-documents splitStatements:false
--comment: Controlled documents and their versions (DOC-1, DOC-2, DOC-4). No hard delete (P11-7).
-- Per-scheme counters of document numbers: SOP-QA -> 1, 2, 3 ... (SOP-QA-001).
CREATE TABLE document_number_sequence (
    scheme     text PRIMARY KEY,
    last_value integer NOT NULL CHECK (last_value > 0)
);

CREATE TABLE document (
    id                     uuid PRIMARY KEY,
    number                 text NOT NULL UNIQUE,
    title                  text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    type                   text NOT NULL CHECK (type IN ('sop', 'work-instruction', 'policy', 'form', 'specification')),
    owner_id               text NOT NULL,
    department             text NOT NULL CHECK (department ~ '^[A-Z][A-Z0-9]{1,9}$'),
    risk_class             text NOT NULL CHECK (risk_class IN ('high', 'medium', 'low')),
    sponsor_program        text,
    review_interval_months integer NOT NULL CHECK (review_interval_months BETWEEN 1 AND 120),
    -- draft: no version has been effective yet; effective: one version is; obsolete: retired with a reason.
    status                 text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'effective', 'obsolete')),
    revision               integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at             timestamptz NOT NULL DEFAULT now(),
    created_by             text NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_by_type ON document (type, number);
CREATE INDEX document_by_owner ON document (owner_id, number);

CREATE TABLE document_version (
    id                   uuid PRIMARY KEY,
    document_id          uuid NOT NULL REFERENCES document (id),
    major                integer NOT NULL CHECK (major >= 0),
    minor                integer NOT NULL CHECK (minor >= 0),
    revision_kind        text NOT NULL CHECK (revision_kind IN ('major', 'minor')),
    change_summary       text NOT NULL CHECK (length(change_summary) BETWEEN 1 AND 4000),
    training_impact      text NOT NULL CHECK (training_impact IN ('full-retraining', 'read-and-acknowledge', 'none')),
    impact_justification text,
    state                text NOT NULL CHECK (state IN ('draft', 'in-review', 'approved', 'effective', 'superseded',
                                                        'obsolete', 'withdrawn')),
    author_id            text NOT NULL,
    author_name          text NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    submitted_at         timestamptz,
    approved_at          timestamptz,
    approved_by          text,
    approved_by_name     text,
    effective_at         timestamptz,
    superseded_at        timestamptz,
    ended_at             timestamptz,
    end_reason           text,
    review_comments      text,
    UNIQUE (document_id, major, minor),
    CHECK (training_impact <> 'none' OR length(coalesce(impact_justification, '')) > 0)
);
-- Exactly one effective version per document at any instant (DOC-2), whatever the application does.
CREATE UNIQUE INDEX document_version_one_effective ON document_version (document_id) WHERE state = 'effective';
-- At most one revision in progress (draft, in review or approved and waiting) per document.
CREATE UNIQUE INDEX document_version_one_open ON document_version (document_id)
    WHERE state IN ('draft', 'in-review', 'approved');
--rollback DROP TABLE document_version; DROP TABLE document; DROP TABLE document_number_sequence;
