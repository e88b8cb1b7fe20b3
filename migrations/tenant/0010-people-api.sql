--liquibase formatted sql

--changeset traceline:tenant-0010-people-api splitStatements:false
--comment: The people API (PPL-1 to PPL-4): deactivation instead of deletion (P11-7), revisions for If-Match, role holdings with reasons, a department always at its person's site, and the person_event outbox that training consumes.

-- Time-ordered ids for rows the database creates in bulk (role holdings, outbox events), like the platform's Ids.newId:
-- new rows land at the right edge of their primary-key index.
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
        52, 1), 53, 1), 'hex')::uuid
$$;

-- Sites, departments and job roles are deactivated, never deleted; their revision is the ETag.
ALTER TABLE site
    ADD COLUMN active     boolean NOT NULL DEFAULT true,
    ADD COLUMN revision   integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE department
    ADD COLUMN active     boolean NOT NULL DEFAULT true,
    ADD COLUMN revision   integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE job_role
    ADD COLUMN active     boolean NOT NULL DEFAULT true,
    ADD COLUMN revision   integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- status_since: the date the current status took effect (null when it was never recorded).
ALTER TABLE person
    ADD COLUMN status_since date,
    ADD COLUMN revision     integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT person_not_own_manager CHECK (manager_id <> id);
UPDATE person SET status_since = hired_on WHERE status = 'active';
-- A person's department is one of their site's departments.
ALTER TABLE department ADD CONSTRAINT department_id_site UNIQUE (id, site_id);
ALTER TABLE person ADD CONSTRAINT person_department_at_site
    FOREIGN KEY (department_id, site_id) REFERENCES department (id, site_id);
CREATE INDEX person_site ON person (site_id);

-- A holding is the period [valid_from, valid_to). Ending one on the day it starts leaves an empty period: a planned
-- holding cancelled before it began (nothing is deleted).
ALTER TABLE person_job_role DROP CONSTRAINT person_job_role_check;
ALTER TABLE person_job_role
    ADD CONSTRAINT person_job_role_period CHECK (valid_to IS NULL OR valid_to >= valid_from),
    ADD COLUMN start_reason  text,
    ADD COLUMN created_at    timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN created_by    text,
    ADD COLUMN end_reason    text,
    ADD COLUMN ended_at      timestamptz,
    ADD COLUMN ended_by      text;
CREATE INDEX person_job_role_by_person ON person_job_role (person_id, valid_from);

-- Outbox of people events for training to consume (hire, role changes, leave, return, termination): written in the
-- transaction of the change. Nothing consumes it yet.
CREATE TABLE person_event (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('hired', 'role-gained', 'role-lost', 'leave-started', 'returned',
                                               'terminated')),
    person_id    uuid NOT NULL REFERENCES person (id),
    job_role_id  uuid REFERENCES job_role (id),
    effective_on date NOT NULL,
    reason       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    consumed_at  timestamptz,
    CHECK ((kind IN ('role-gained', 'role-lost')) = (job_role_id IS NOT NULL))
);
CREATE INDEX person_event_unconsumed ON person_event (created_at, id) WHERE consumed_at IS NULL;
CREATE INDEX person_event_by_person ON person_event (person_id, created_at);
--rollback DROP TABLE person_event; DROP INDEX person_job_role_by_person; ALTER TABLE person_job_role DROP CONSTRAINT person_job_role_period, DROP COLUMN start_reason, DROP COLUMN created_at, DROP COLUMN created_by, DROP COLUMN end_reason, DROP COLUMN ended_at, DROP COLUMN ended_by, ADD CHECK (valid_to IS NULL OR valid_to > valid_from); DROP INDEX person_site; ALTER TABLE person DROP CONSTRAINT person_department_at_site, DROP CONSTRAINT person_not_own_manager, DROP COLUMN status_since, DROP COLUMN revision, DROP COLUMN updated_at; ALTER TABLE department DROP CONSTRAINT department_id_site; ALTER TABLE job_role DROP COLUMN active, DROP COLUMN revision, DROP COLUMN updated_at; ALTER TABLE department DROP COLUMN active, DROP COLUMN revision, DROP COLUMN updated_at; ALTER TABLE site DROP COLUMN active, DROP COLUMN revision, DROP COLUMN updated_at; DROP FUNCTION uuid_v7();
