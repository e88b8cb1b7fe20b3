--liquibase formatted sql

--changeset traceline:tenant-0002-people
--comment: Sites, departments, job roles and the people whose training is tracked (PPL-1, PPL-2).
CREATE TABLE site (
    id         uuid PRIMARY KEY,
    code       text NOT NULL UNIQUE,
    name       text NOT NULL,
    country    text NOT NULL,
    timezone   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE department (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES site (id),
    code       text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site_id, code)
);

-- A job function in the training matrix ("Aseptic Operator"); not a permission.
CREATE TABLE job_role (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person (
    id              uuid PRIMARY KEY,
    employee_number text NOT NULL UNIQUE,
    given_name      text NOT NULL,
    family_name     text NOT NULL,
    email           text,
    status          text NOT NULL CHECK (status IN ('active', 'on_leave', 'terminated')),
    site_id         uuid NOT NULL REFERENCES site (id),
    department_id   uuid NOT NULL REFERENCES department (id),
    manager_id      uuid REFERENCES person (id),
    contractor      boolean NOT NULL DEFAULT false,
    user_id         text UNIQUE,      -- the login, when the person has one
    hired_on        date NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_department ON person (department_id);
CREATE INDEX person_manager ON person (manager_id);

-- Job roles held over time: a transfer closes one row and opens another.
CREATE TABLE person_job_role (
    id          uuid PRIMARY KEY,
    person_id   uuid NOT NULL REFERENCES person (id),
    job_role_id uuid NOT NULL REFERENCES job_role (id),
    valid_from  date NOT NULL,
    valid_to    date,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX person_job_role_current ON person_job_role (person_id, job_role_id) WHERE valid_to IS NULL;
CREATE INDEX person_job_role_by_role ON person_job_role (job_role_id, person_id);
--rollback DROP TABLE person_job_role; DROP TABLE person; DROP TABLE job_role; DROP TABLE department; DROP TABLE site;
