-- Access keys of the broker's own S3 server (local S3 plans): which binding holds a key and what it reaches. The
-- secret half lives in the credential store (ref s3-keys/<binding>), never here. Every replica's S3 server reads this
-- table on each request, so a key revoked on one replica is refused by all.

CREATE TABLE s3_access_keys (
    binding_id     VARCHAR(255) PRIMARY KEY,
    access_key_id  VARCHAR(64)  NOT NULL UNIQUE,
    namespace      VARCHAR(64)  NOT NULL,
    bucket         VARCHAR(63)  NOT NULL,
    read_only      BOOLEAN      NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX s3_access_keys_namespace ON s3_access_keys (namespace);
