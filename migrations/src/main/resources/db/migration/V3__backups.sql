-- Backups of tenants' data. The data itself is an encrypted object in the backup store (object_key); a row is
-- 'completed' only once its object is stored whole and its size and SHA-256 are known, so a backup cut short (a
-- crash, a failed upload) is never offered for a restore. Rows outlive their instance: a final backup of a deleted
-- instance stays restorable until it expires, so the instance's service, plan and platform context are kept here.

CREATE TABLE backups (
    id                   VARCHAR(64)  PRIMARY KEY,
    instance_id          VARCHAR(255) NOT NULL,
    service_id           VARCHAR(255) NOT NULL,
    plan_id              VARCHAR(255) NOT NULL,
    -- scheduled, on-demand, final
    kind                 VARCHAR(32)  NOT NULL,
    -- running, completed, failed, deleted
    state                VARCHAR(32)  NOT NULL,
    description          TEXT,
    -- what the provisioner wrote (pg_dump-custom/1, ...), checked before a restore
    format               VARCHAR(64)  NOT NULL,
    object_key           VARCHAR(512) NOT NULL,
    size_bytes           BIGINT,
    sha256               CHAR(64),
    -- where the instance lived: a restore is allowed within the same organization and space, or namespace
    organization_guid    VARCHAR(255),
    space_guid           VARCHAR(255),
    namespace            VARCHAR(255),
    platform             VARCHAR(64),
    originating_identity TEXT,
    -- the operation that runs it (on-demand and final backups), or the replica that runs a scheduled one
    operation_id         VARCHAR(64),
    lease_owner          VARCHAR(255),
    lease_expires_at     TIMESTAMPTZ,
    started_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at          TIMESTAMPTZ,
    expires_at           TIMESTAMPTZ
);

CREATE INDEX backups_instance ON backups (instance_id, started_at);
CREATE INDEX backups_expiring ON backups (expires_at) WHERE state = 'completed';
-- one backup running per instance, on any replica
CREATE UNIQUE INDEX backups_one_running_per_instance ON backups (instance_id) WHERE state = 'running';
