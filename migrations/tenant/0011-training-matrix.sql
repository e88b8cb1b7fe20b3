--liquibase formatted sql

--changeset traceline:tenant-0011-training-matrix splitStatements:false
--comment: The training matrix (TRN-1), assignments (TRN-3) and the bookkeeping of fan-outs (DESIGN §4).

-- What a job role must be trained on: a document, by a method, within a window, recertified at an interval. Scoped to
-- one site when site_id is set. Retired, never deleted.
CREATE TABLE training_requirement (
    id               uuid PRIMARY KEY,
    document_id      uuid NOT NULL REFERENCES document (id),
    job_role_id      uuid NOT NULL REFERENCES job_role (id),
    site_id          uuid REFERENCES site (id),
    method           text NOT NULL CHECK (method IN ('read-and-acknowledge', 'assessment', 'on-the-job', 'classroom')),
    pass_score       integer CHECK (pass_score BETWEEN 1 AND 100),
    due_days         integer NOT NULL CHECK (due_days BETWEEN 0 AND 365),
    recertify_months integer CHECK (recertify_months BETWEEN 1 AND 120),
    -- What a minor revision asks of people already trained: the same method, a read-and-acknowledge, or nothing.
    minor_revision   text NOT NULL DEFAULT 'read-and-acknowledge'
                     CHECK (minor_revision IN ('same-method', 'read-and-acknowledge', 'none')),
    active           boolean NOT NULL DEFAULT true,
    revision         integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    retired_at       timestamptz,
    retired_by       text,
    retire_reason    text,
    CHECK ((method = 'assessment') = (pass_score IS NOT NULL)),
    CHECK (active = (retired_at IS NULL))
);
-- One active requirement per document, role and site scope.
CREATE UNIQUE INDEX training_requirement_once ON training_requirement (document_id, job_role_id,
    coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE active;
CREATE INDEX training_requirement_by_role ON training_requirement (job_role_id) WHERE active;

-- A person's obligation to train on one document version for one requirement, in one recertification cycle. The
-- unique key makes every trigger safe to fire twice. 'overdue' is not stored: it is an open assignment past its due
-- date (and not paused by leave). System-made rows carry their cause and job; people's later changes are audited.
CREATE TABLE training_assignment (
    id             uuid PRIMARY KEY,
    person_id      uuid NOT NULL REFERENCES person (id),
    requirement_id uuid NOT NULL REFERENCES training_requirement (id),
    document_id    uuid NOT NULL REFERENCES document (id),
    version_id     uuid NOT NULL REFERENCES document_version (id),
    cycle          integer NOT NULL DEFAULT 1 CHECK (cycle > 0),
    method         text NOT NULL CHECK (method IN ('read-and-acknowledge', 'assessment', 'on-the-job', 'classroom')),
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'cancelled', 'superseded')),
    due_at         timestamptz NOT NULL,
    assigned_at    timestamptz NOT NULL DEFAULT now(),
    cause          text NOT NULL CHECK (cause IN ('revision-effective', 'previously-trained', 'hired', 'role-gained',
                                                  'returned', 'requirement-added', 'recertification')),
    job_id         uuid,
    paused_since   timestamptz,
    closed_at      timestamptz,
    close_reason   text,
    UNIQUE (person_id, requirement_id, version_id, cycle),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX training_assignment_by_version ON training_assignment (version_id, person_id);
CREATE INDEX training_assignment_open_by_document ON training_assignment (document_id, person_id) WHERE status = 'open';
CREATE INDEX training_assignment_by_person ON training_assignment (person_id, status, due_at);

-- The person-id ranges a fan-out job's chunks cover, fixed when the job is planned: chunk k takes the people with
-- lower_id < id <= upper_id (null: unbounded), so every chunk touches only its own slice of the matrix.
CREATE TABLE training_fanout_chunk (
    job_id   uuid NOT NULL,
    chunk_no integer NOT NULL CHECK (chunk_no >= 0),
    lower_id uuid,
    upper_id uuid,
    PRIMARY KEY (job_id, chunk_no)
);

--rollback DROP TABLE training_fanout_chunk; DROP TABLE training_assignment; DROP TABLE training_requirement;
