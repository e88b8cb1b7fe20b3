--liquibase formatted sql

--changeset traceline:tenant-0017-programs splitStatements:false
--comment: Sponsor programs of a CDMO (TRN-1 "sites or programs", SPN-1): programs as tenant structure, documents that belong to one (replacing the free-text sponsor_program), people's program memberships over time, and training requirements scoped to a program.

-- A sponsor's program ("NST-201", Northstar Therapeutics), kept like sites and job roles: a code that never changes,
-- deactivated (retired) rather than deleted, its revision the ETag.
CREATE TABLE program (
    id           uuid PRIMARY KEY,
    code         text NOT NULL UNIQUE,
    name         text NOT NULL,
    sponsor_name text NOT NULL,
    active       boolean NOT NULL DEFAULT true,
    revision     integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- A document belongs to at most one program, by reference. The free text it had becomes a program each: the code from
-- the text before " (" (upper case, other characters as '-', at most 30; a number added when two texts give the same
-- code), the sponsor from a trailing "(…)" (else the whole text), the name the whole text.
ALTER TABLE document ADD COLUMN program_id uuid REFERENCES program (id);
DO $$
DECLARE
    label     text;
    base      text;
    candidate text;
    k         integer;
BEGIN
    FOR label IN SELECT t FROM (SELECT DISTINCT sponsor_program AS t FROM document WHERE sponsor_program IS NOT NULL) s
                 ORDER BY t COLLATE "C" LOOP
        base := coalesce(nullif(left(trim(BOTH '-' FROM upper(regexp_replace(split_part(label, ' (', 1),
            '[^A-Za-z0-9]+', '-', 'g'))), 30), ''), 'PROGRAM');
        candidate := base;
        k := 1;
        WHILE EXISTS (SELECT 1 FROM program WHERE code = candidate) LOOP
            k := k + 1;
            candidate := left(base, 26) || '-' || k;
        END LOOP;
        INSERT INTO program (id, code, name, sponsor_name)
        VALUES (uuid_v7(), candidate, label, coalesce(substring(label FROM '\(([^()]+)\)\s*$'), label));
    END LOOP;
END $$;
UPDATE document d SET program_id = p.id FROM program p WHERE p.name = d.sponsor_program;
ALTER TABLE document DROP COLUMN sponsor_program;
CREATE INDEX document_by_program ON document (program_id, number) WHERE program_id IS NOT NULL;

-- Programs a person works on over time, like job role holdings (0002, 0010): the period [valid_from, valid_to), at most
-- one open membership per person and program, ended rather than deleted. The matrix asks "is this person a member of
-- this program today" per (person, program): person_program_by_person answers it from the index.
CREATE TABLE person_program (
    id           uuid PRIMARY KEY,
    person_id    uuid NOT NULL REFERENCES person (id),
    program_id   uuid NOT NULL REFERENCES program (id),
    valid_from   date NOT NULL,
    valid_to     date,
    start_reason text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text,
    end_reason   text,
    ended_at     timestamptz,
    ended_by     text,
    CONSTRAINT person_program_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX person_program_current ON person_program (person_id, program_id) WHERE valid_to IS NULL;
CREATE INDEX person_program_by_person ON person_program (person_id, program_id, valid_from, valid_to);
CREATE INDEX person_program_by_program ON person_program (program_id, person_id);

-- A requirement may be scoped to a program (beside the site): it then applies only to the program's members. One
-- active requirement per document, role, site scope and program scope.
ALTER TABLE training_requirement ADD COLUMN program_id uuid REFERENCES program (id);
DROP INDEX training_requirement_once;
CREATE UNIQUE INDEX training_requirement_once ON training_requirement (document_id, job_role_id,
    coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(program_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE active;

-- Joining and leaving a program are people events like gaining and losing a role.
ALTER TABLE person_event ADD COLUMN program_id uuid REFERENCES program (id);
ALTER TABLE person_event DROP CONSTRAINT person_event_kind_check;
ALTER TABLE person_event ADD CONSTRAINT person_event_kind_check CHECK (kind IN ('hired', 'role-gained', 'role-lost',
    'leave-started', 'returned', 'terminated', 'program-joined', 'program-left'));
ALTER TABLE person_event ADD CONSTRAINT person_event_program
    CHECK ((kind IN ('program-joined', 'program-left')) = (program_id IS NOT NULL));

-- The training a program membership brings carries its own cause.
ALTER TABLE training_assignment DROP CONSTRAINT training_assignment_cause_check;
ALTER TABLE training_assignment ADD CONSTRAINT training_assignment_cause_check CHECK (cause IN ('revision-effective',
    'previously-trained', 'hired', 'role-gained', 'returned', 'requirement-added', 'recertification', 'program-joined'));
--rollback ALTER TABLE training_assignment DROP CONSTRAINT training_assignment_cause_check; ALTER TABLE training_assignment ADD CONSTRAINT training_assignment_cause_check CHECK (cause IN ('revision-effective', 'previously-trained', 'hired', 'role-gained', 'returned', 'requirement-added', 'recertification')); ALTER TABLE person_event DROP CONSTRAINT person_event_program; ALTER TABLE person_event DROP CONSTRAINT person_event_kind_check; ALTER TABLE person_event ADD CONSTRAINT person_event_kind_check CHECK (kind IN ('hired', 'role-gained', 'role-lost', 'leave-started', 'returned', 'terminated')); ALTER TABLE person_event DROP COLUMN program_id; DROP INDEX training_requirement_once; CREATE UNIQUE INDEX training_requirement_once ON training_requirement (document_id, job_role_id, coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE active; ALTER TABLE training_requirement DROP COLUMN program_id; DROP TABLE person_program; ALTER TABLE document ADD COLUMN sponsor_program text; UPDATE document d SET sponsor_program = p.name FROM program p WHERE p.id = d.program_id; DROP INDEX document_by_program; ALTER TABLE document DROP COLUMN program_id; DROP TABLE program;
