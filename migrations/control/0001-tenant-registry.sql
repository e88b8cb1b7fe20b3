--liquibase formatted sql

--changeset traceline:control-0001-tenant-registry
--comment: The registry of tenants and the progress of their provisioning.
CREATE TABLE tenant (
    slug              text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9_]{2,39}$'),
    schema_name       text NOT NULL UNIQUE,
    display_name      text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    admin_email       text NOT NULL,
    admin_given_name  text NOT NULL,
    admin_family_name text NOT NULL,
    -- provisioning: steps still to run; ready: usable; failed: the last attempt stopped with last_error
    -- and can be resumed by provisioning the same tenant again.
    state             text NOT NULL CHECK (state IN ('provisioning', 'ready', 'failed')),
    -- The last provisioning step that completed; each step is idempotent, so a resumed provisioning
    -- runs from the one after it.
    step              text NOT NULL CHECK (step IN ('registered', 'schema_migrated', 'organization_created',
                                                    'admin_created', 'admin_granted')),
    organization_id   text,
    admin_user_id     text,
    last_error        text,
    requested_by      text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    ready_at          timestamptz,
    -- Fingerprint of the tenant changelog the schema was last migrated to: a cheap
    -- "already at latest" gate for fleet migrations.
    changelog_version text
);
CREATE INDEX tenant_created_at ON tenant (created_at, slug);
--rollback DROP TABLE tenant;
