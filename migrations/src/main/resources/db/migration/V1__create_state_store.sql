-- The broker's own state. Secrets never live here: credentials_ref columns name an entry of the credential store.

CREATE TABLE service_instances (
    id                 VARCHAR(255) PRIMARY KEY,
    service_id         VARCHAR(255) NOT NULL,
    plan_id            VARCHAR(255) NOT NULL,
    -- provisioning, provisioned, updating, deprovisioning, deprovisioned, failed
    state              VARCHAR(32)  NOT NULL,
    parameters         TEXT         NOT NULL DEFAULT '{}',
    context            TEXT         NOT NULL DEFAULT '{}',
    organization_guid  VARCHAR(255),
    space_guid         VARCHAR(255),
    maintenance_version VARCHAR(255),
    -- non-secret facts the provisioner reported (database name, server, ...), as JSON
    outputs            TEXT         NOT NULL DEFAULT '{}',
    credentials_ref    VARCHAR(255),
    dashboard_url      TEXT,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version            BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE service_bindings (
    id               VARCHAR(255) NOT NULL,
    instance_id      VARCHAR(255) NOT NULL REFERENCES service_instances (id) ON DELETE CASCADE,
    service_id       VARCHAR(255) NOT NULL,
    plan_id          VARCHAR(255) NOT NULL,
    -- binding, bound, unbinding, unbound, failed
    state            VARCHAR(32)  NOT NULL,
    parameters       TEXT         NOT NULL DEFAULT '{}',
    context          TEXT         NOT NULL DEFAULT '{}',
    bind_resource    TEXT         NOT NULL DEFAULT '{}',
    credentials_ref  VARCHAR(255),
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version          BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
);

CREATE INDEX service_bindings_instance ON service_bindings (instance_id);

CREATE TABLE operations (
    id                   VARCHAR(64)  PRIMARY KEY,
    instance_id          VARCHAR(255) NOT NULL REFERENCES service_instances (id) ON DELETE CASCADE,
    binding_id           VARCHAR(255),
    -- provision, update, deprovision, bind, unbind
    type                 VARCHAR(32)  NOT NULL,
    -- in progress, succeeded, failed
    state                VARCHAR(32)  NOT NULL,
    description          TEXT,
    -- what the step needs beyond the instance/binding rows (for an update: the previous plan and parameters), JSON
    request              TEXT         NOT NULL DEFAULT '{}',
    progress_ref         TEXT,
    platform             VARCHAR(64),
    originating_identity TEXT,
    attempts             INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    lease_owner          VARCHAR(255),
    lease_expires_at     TIMESTAMPTZ,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at          TIMESTAMPTZ,
    version              BIGINT       NOT NULL DEFAULT 0
);

-- At most one operation in flight per instance on instance-level changes, and per binding: enforced here, so it
-- holds across broker replicas.
CREATE UNIQUE INDEX operations_one_active_per_instance
    ON operations (instance_id) WHERE state = 'in progress' AND binding_id IS NULL;
CREATE UNIQUE INDEX operations_one_active_per_binding
    ON operations (binding_id) WHERE state = 'in progress' AND binding_id IS NOT NULL;
CREATE INDEX operations_due ON operations (next_attempt_at) WHERE state = 'in progress';
CREATE INDEX operations_by_instance ON operations (instance_id, created_at);

CREATE TABLE audit_events (
    id                   BIGSERIAL    PRIMARY KEY,
    occurred_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- requested, succeeded, failed
    event                VARCHAR(32)  NOT NULL,
    action               VARCHAR(32)  NOT NULL,
    instance_id          VARCHAR(255) NOT NULL,
    binding_id           VARCHAR(255),
    operation_id         VARCHAR(64),
    platform             VARCHAR(64),
    originating_identity TEXT,
    request_identity     VARCHAR(255),
    description          TEXT
);

CREATE INDEX audit_events_instance ON audit_events (instance_id, occurred_at);

-- Encrypted secrets of the encrypted-jdbc credential store (AES-256-GCM); the key never lives here.
CREATE TABLE credentials (
    ref         VARCHAR(255) PRIMARY KEY,
    key_id      VARCHAR(64)  NOT NULL,
    nonce       BYTEA        NOT NULL,
    ciphertext  BYTEA        NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One known value per key, encrypted with it: a wrong key is detected at start-up instead of at first use.
CREATE TABLE credential_key_canaries (
    key_id      VARCHAR(64)  PRIMARY KEY,
    nonce       BYTEA        NOT NULL,
    ciphertext  BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
