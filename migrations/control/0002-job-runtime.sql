--liquibase formatted sql

--changeset traceline:control-0002-job-runtime
--comment: Durable jobs and timers of every tenant, in one place so due work is found with one indexed query.
CREATE TABLE job (
    id              uuid PRIMARY KEY,
    tenant          text REFERENCES tenant (slug),       -- null for platform jobs (e.g. the probe)
    kind            text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}',
    -- Hazelcast partition of the job id: the member owning it plans the job.
    partition_id    int NOT NULL CHECK (partition_id >= 0),
    run_at          timestamptz NOT NULL,
    -- scheduled: waiting for run_at; running: chunks planned, being worked; succeeded; dead: a chunk
    -- failed permanently or ran out of attempts (an operator can retry it).
    state           text NOT NULL CHECK (state IN ('scheduled', 'running', 'succeeded', 'dead')),
    chunks_total    int,
    attempts        int NOT NULL DEFAULT 0,
    last_error      text,
    -- Idempotent enqueue: a cause that fires twice names the same key and creates one job.
    dedupe_key      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    planned_at      timestamptz,
    finished_at     timestamptz,
    created_by      text NOT NULL
);
CREATE INDEX job_due ON job (run_at) WHERE state = 'scheduled';
CREATE INDEX job_running ON job (id) WHERE state = 'running';
CREATE INDEX job_by_state ON job (state, created_at, id);
CREATE UNIQUE INDEX job_dedupe ON job (coalesce(tenant, ''), kind, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- A slice of a job. A chunk's effect and its 'done' mark commit in one transaction, so a chunk that
-- runs twice (failover, a member killed mid-chunk) takes effect once.
CREATE TABLE job_chunk (
    job_id          uuid NOT NULL REFERENCES job (id),
    chunk_no        int NOT NULL CHECK (chunk_no >= 0),
    partition_id    int NOT NULL CHECK (partition_id >= 0),
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
    attempts        int NOT NULL DEFAULT 0,     -- since the last operator retry
    total_attempts  int NOT NULL DEFAULT 0,     -- ever
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    pending_since   timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    done_by         text,
    done_at         timestamptz,
    rows_affected   bigint,
    PRIMARY KEY (job_id, chunk_no)
);
CREATE INDEX job_chunk_ready ON job_chunk (partition_id, next_attempt_at) WHERE state = 'pending';
CREATE INDEX job_chunk_pending_age ON job_chunk (pending_since) WHERE state = 'pending';

-- The probe job's effects: one row per chunk execution, with no unique key, so a chunk that took
-- effect twice would show as two rows. Operators run the probe to check a cluster end to end.
CREATE TABLE job_probe_effect (
    id        bigserial PRIMARY KEY,
    job_id    uuid NOT NULL REFERENCES job (id),
    chunk_no  int NOT NULL,
    member    text NOT NULL,
    done_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX job_probe_effect_job ON job_probe_effect (job_id, chunk_no);
--rollback DROP TABLE job_probe_effect; DROP TABLE job_chunk; DROP TABLE job;
