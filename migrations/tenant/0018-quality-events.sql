--liquibase formatted sql

--changeset traceline:tenant-0018-quality-events splitStatements:false
--comment: Quality events, CAPA and their actions (QE-1..QE-5): deviations, nonconformances, complaints, audit findings and change controls; CAPAs with root cause, corrective and preventive actions of type training, document change or other, e-signed closure and effectiveness check; training actions' assignments (requirement-less, tagged with the action); revisions caused by a change control or a CAPA action; recurrence.

-- Gapless human numbers per prefix (DEV-0001, CC-0001, CAPA-0001): taken under the row lock of the prefix.
CREATE TABLE quality_number (
    prefix text PRIMARY KEY,
    last   integer NOT NULL CHECK (last >= 0)
);

-- A quality event (QE-1). Documents, people and job roles it concerns are arrays of ids checked by the service when
-- written (they are never deleted, so the ids stay valid); process names the process or area in free text, which
-- recurrence compares too. repeat_of_capa_id flags a recurrence: the earlier CAPA with the same root-cause category on
-- the same document or process within the tenant's window. Cancelled or closed, never deleted.
CREATE TABLE quality_event (
    id                  uuid PRIMARY KEY,
    number              text NOT NULL UNIQUE,
    kind                text NOT NULL CHECK (kind IN ('deviation', 'nonconformance', 'complaint', 'audit-finding',
                                                      'change-control')),
    audit_source        text CHECK (audit_source IN ('internal', 'supplier', 'regulatory')),
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description         text NOT NULL CHECK (length(description) BETWEEN 1 AND 8000),
    severity            text NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'approved', 'implemented',
                                                                       'closed', 'cancelled')),
    occurred_on         date NOT NULL,
    due_on              date NOT NULL,
    owner_id            text NOT NULL,
    owner_name          text NOT NULL,
    process             text CHECK (length(process) BETWEEN 1 AND 200),
    root_cause_category text CHECK (root_cause_category IN ('training-deficiency', 'procedure', 'equipment', 'material',
                                                            'human-error', 'environment', 'design', 'supplier', 'other')),
    document_ids        uuid[] NOT NULL DEFAULT '{}',
    person_ids          uuid[] NOT NULL DEFAULT '{}',
    job_role_ids        uuid[] NOT NULL DEFAULT '{}',
    repeat_of_capa_id   uuid,
    revision            integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          text NOT NULL,
    created_by_name     text NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    closed_at           timestamptz,
    closure_signature_id uuid REFERENCES signature (id),
    approval_signature_id uuid REFERENCES signature (id),
    end_reason          text,
    CHECK ((kind = 'audit-finding') = (audit_source IS NOT NULL)),
    -- Approved and implemented are steps of a change control only.
    CHECK (kind = 'change-control' OR status NOT IN ('approved', 'implemented')),
    CHECK ((status IN ('closed', 'cancelled')) = (closed_at IS NOT NULL)),
    CHECK (status <> 'closed' OR closure_signature_id IS NOT NULL),
    CHECK (due_on >= occurred_on)
);
CREATE INDEX quality_event_by_status ON quality_event (status, id);
CREATE INDEX quality_event_by_owner ON quality_event (owner_id, id);
CREATE INDEX quality_event_by_document ON quality_event USING gin (document_ids);

-- A CAPA (QE-2): one or more source events, the root cause, its actions; closed with an e-signature once every action
-- is done and no linked training is open (QE-4); its effectiveness is checked (and signed) after closure.
CREATE TABLE capa (
    id                        uuid PRIMARY KEY,
    number                    text NOT NULL UNIQUE,
    title                     text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description               text CHECK (length(description) BETWEEN 1 AND 8000),
    status                    text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'cancelled')),
    owner_id                  text NOT NULL,
    owner_name                text NOT NULL,
    due_on                    date NOT NULL,
    root_cause_category       text CHECK (root_cause_category IN ('training-deficiency', 'procedure', 'equipment',
                                  'material', 'human-error', 'environment', 'design', 'supplier', 'other')),
    root_cause_description    text CHECK (length(root_cause_description) BETWEEN 1 AND 8000),
    revision                  integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_at                timestamptz NOT NULL DEFAULT now(),
    created_by                text NOT NULL,
    created_by_name           text NOT NULL,
    updated_at                timestamptz NOT NULL DEFAULT now(),
    closed_at                 timestamptz,
    closure_summary           text,
    closure_signature_id      uuid REFERENCES signature (id),
    closure_record_version    integer,
    cancel_reason             text,
    -- Effectiveness: scheduled at closure (a job runtime timer marks it due), then recorded with a result and signed.
    effectiveness_due_on      date,
    effectiveness_state       text CHECK (effectiveness_state IN ('scheduled', 'due', 'effective', 'not-effective')),
    effectiveness_comment     text,
    effectiveness_checked_at  timestamptz,
    effectiveness_signature_id uuid REFERENCES signature (id),
    CHECK ((status = 'closed') = (closure_signature_id IS NOT NULL)),
    CHECK ((status = 'closed') = (effectiveness_state IS NOT NULL)),
    CHECK (status <> 'closed' OR root_cause_category IS NOT NULL),
    CHECK ((effectiveness_state IN ('effective', 'not-effective')) = (effectiveness_signature_id IS NOT NULL))
);
CREATE INDEX capa_by_status ON capa (status, id);
CREATE INDEX capa_by_owner ON capa (owner_id, id);
CREATE INDEX capa_by_root_cause ON capa (root_cause_category, created_at);

CREATE TABLE capa_source (
    capa_id  uuid NOT NULL REFERENCES capa (id),
    event_id uuid NOT NULL REFERENCES quality_event (id),
    PRIMARY KEY (capa_id, event_id)
);
CREATE INDEX capa_source_by_event ON capa_source (event_id);
ALTER TABLE quality_event ADD CONSTRAINT quality_event_repeat_of FOREIGN KEY (repeat_of_capa_id) REFERENCES capa (id);

-- An action of a CAPA. Training: the document version, method and the people and roles named (the assignments are
-- linked in capa_action_assignment). Document change: the revision it drives (quality_revision_link). Completed by
-- itself (training: every linked assignment done with passing evidence; document change: the revision effective) or by
-- its owner with a note (other); cancelled with a reason.
CREATE TABLE capa_action (
    id                 uuid PRIMARY KEY,
    capa_id            uuid NOT NULL REFERENCES capa (id),
    kind               text NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    type               text NOT NULL CHECK (type IN ('training', 'document-change', 'other')),
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description        text CHECK (length(description) BETWEEN 1 AND 8000),
    owner_id           text NOT NULL,
    owner_name         text NOT NULL,
    due_on             date NOT NULL,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'cancelled')),
    document_id        uuid REFERENCES document (id),
    version_id         uuid REFERENCES document_version (id),
    method             text CHECK (method IN ('read-and-acknowledge', 'assessment', 'on-the-job', 'classroom')),
    pass_score         integer CHECK (pass_score BETWEEN 1 AND 100),
    max_attempts       integer CHECK (max_attempts BETWEEN 1 AND 20),
    training_due_on    date,
    person_ids         uuid[] NOT NULL DEFAULT '{}',
    job_role_ids       uuid[] NOT NULL DEFAULT '{}',
    -- Training: 'assigned' once the assignments exist; 'pending' while the job runtime makes a large set.
    assignment_state   text CHECK (assignment_state IN ('pending', 'assigned')),
    job_id             uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         text NOT NULL,
    created_by_name    text NOT NULL,
    closed_at          timestamptz,
    closed_by          text,
    closed_by_name     text,
    close_note         text,
    CHECK ((type = 'training') = (method IS NOT NULL AND training_due_on IS NOT NULL AND assignment_state IS NOT NULL)),
    CHECK (type = 'other' OR (document_id IS NOT NULL AND version_id IS NOT NULL)),
    CHECK ((method = 'assessment') = (pass_score IS NOT NULL)),
    CHECK (type <> 'training' OR cardinality(person_ids) + cardinality(job_role_ids) > 0),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX capa_action_by_capa ON capa_action (capa_id, id);
CREATE INDEX capa_action_by_document ON capa_action (document_id) WHERE document_id IS NOT NULL;

-- Training actions' assignments are not the matrix's: they have no requirement (the CAPA, not a job role, is why they
-- exist), carry the action that made them, and keep their own assessment rules. Matrix assignments keep theirs.
ALTER TABLE training_assignment ALTER COLUMN requirement_id DROP NOT NULL;
ALTER TABLE training_assignment ADD COLUMN capa_action_id uuid REFERENCES capa_action (id);
ALTER TABLE training_assignment ADD COLUMN pass_score integer CHECK (pass_score BETWEEN 1 AND 100);
ALTER TABLE training_assignment ADD COLUMN max_attempts integer CHECK (max_attempts BETWEEN 1 AND 20);
ALTER TABLE training_assignment DROP CONSTRAINT training_assignment_cause_check;
ALTER TABLE training_assignment ADD CONSTRAINT training_assignment_cause_check CHECK (cause IN ('revision-effective',
    'previously-trained', 'hired', 'role-gained', 'returned', 'requirement-added', 'recertification', 'program-joined', 'capa-action'));
ALTER TABLE training_assignment ADD CONSTRAINT training_assignment_capa_action
    CHECK ((cause = 'capa-action') = (capa_action_id IS NOT NULL) AND (requirement_id IS NULL) = (cause = 'capa-action'));
-- One assignment per person per action: making an action's assignments twice (a job retried) adds nothing.
CREATE UNIQUE INDEX training_assignment_once_per_action ON training_assignment (capa_action_id, person_id)
    WHERE capa_action_id IS NOT NULL;
ALTER TABLE training_completion ALTER COLUMN requirement_id DROP NOT NULL;

-- The assignments an action waits for: those it created and open ones on the same version that people already held
-- (linked rather than duplicated). One per person and action.
CREATE TABLE capa_action_assignment (
    action_id     uuid NOT NULL REFERENCES capa_action (id),
    person_id     uuid NOT NULL REFERENCES person (id),
    assignment_id uuid NOT NULL REFERENCES training_assignment (id),
    link          text NOT NULL CHECK (link IN ('created', 'linked')),
    linked_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (action_id, person_id)
);
CREATE INDEX capa_action_assignment_by_assignment ON capa_action_assignment (assignment_id);

-- A revision caused by a change control or by a CAPA's document-change action (QE-5): the version's read model names
-- its causes, the event and the CAPA name the revision and, once effective, its retraining.
CREATE TABLE quality_revision_link (
    id          uuid PRIMARY KEY,
    version_id  uuid NOT NULL REFERENCES document_version (id),
    document_id uuid NOT NULL REFERENCES document (id),
    event_id    uuid REFERENCES quality_event (id),
    capa_id     uuid REFERENCES capa (id),
    action_id   uuid REFERENCES capa_action (id),
    reason      text NOT NULL CHECK (length(reason) > 0),
    linked_at   timestamptz NOT NULL DEFAULT now(),
    linked_by   text NOT NULL,
    linked_by_name text NOT NULL,
    CHECK ((event_id IS NULL) <> (action_id IS NULL)),
    CHECK ((action_id IS NULL) = (capa_id IS NULL))
);
CREATE UNIQUE INDEX quality_revision_link_once ON quality_revision_link (version_id,
    coalesce(event_id, action_id));
CREATE INDEX quality_revision_link_by_event ON quality_revision_link (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX quality_revision_link_by_capa ON quality_revision_link (capa_id) WHERE capa_id IS NOT NULL;
CREATE TRIGGER quality_revision_link_append_only BEFORE UPDATE OR DELETE ON quality_revision_link
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER capa_action_assignment_append_only BEFORE UPDATE OR DELETE ON capa_action_assignment
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER capa_source_append_only BEFORE UPDATE OR DELETE ON capa_source
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- Signatures a regulator expects on quality records (21 CFR 820.100, ICH Q10): closing an event or a CAPA, approving a
-- change control, verifying a CAPA's effectiveness. Signed through their workflow endpoints.
INSERT INTO signature_meaning (record_type, meaning, description, roles, signed_through) VALUES
    ('quality-event', 'approved', 'I approve this change control for implementation', '{quality-manager}',
     'POST /quality-events/{eventId}/signatures'),
    ('quality-event', 'closed', 'I confirm this quality event is resolved and close it', '{quality-manager}',
     'POST /quality-events/{eventId}/signatures'),
    ('capa', 'closed', 'I have reviewed the actions and their evidence and close this CAPA', '{quality-manager}',
     'POST /capas/{capaId}/closure'),
    ('capa', 'verified', 'I have checked the effectiveness of this CAPA and record the result', '{quality-manager}',
     'POST /capas/{capaId}/effectiveness-check');
--rollback DELETE FROM signature_meaning WHERE record_type IN ('quality-event', 'capa'); DROP TABLE quality_revision_link; DROP TABLE capa_action_assignment; DROP INDEX training_assignment_once_per_action; ALTER TABLE training_assignment DROP CONSTRAINT training_assignment_capa_action, DROP COLUMN capa_action_id, DROP COLUMN pass_score, DROP COLUMN max_attempts; DROP TABLE capa_action; ALTER TABLE quality_event DROP CONSTRAINT quality_event_repeat_of; DROP TABLE capa_source; DROP TABLE capa; DROP TABLE quality_event; DROP TABLE quality_number;
