-- Where a backup's data is: 'stream', an encrypted object of the broker's backup store (object_key is its key), or
-- 'snapshot', a snapshot the provider keeps (object_key is the snapshot's name, size_bytes and sha256 stay empty).
ALTER TABLE backups ADD COLUMN storage VARCHAR(16) NOT NULL DEFAULT 'stream';
