package io.paasbroker.broker.backup;

import java.nio.file.Path;

/** What backups meet when no store is configured and the broker runs no S3 server: a clear refusal. */
public final class NoBackupStore implements BackupStore {

    private static final String WHY = "no backup store is configured (paasbroker.backups.store.bucket)";

    @Override
    public void put(String key, Path file) {
        throw new BackupStoreException(WHY);
    }

    @Override
    public void get(String key, Path file) {
        throw new BackupStoreException(WHY);
    }

    @Override
    public void delete(String key) {
        throw new BackupStoreException(WHY);
    }

    @Override
    public String describe() {
        return "none";
    }
}
