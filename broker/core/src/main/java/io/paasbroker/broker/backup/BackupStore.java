package io.paasbroker.broker.backup;

import java.nio.file.Path;

/** Where backup objects live: whole files in, whole files out, so no backup is ever held in memory. */
public interface BackupStore {

    void put(String key, Path file);

    /** Writes the object to {@code file}, replacing it. */
    void get(String key, Path file);

    /** No error when the object is gone. */
    void delete(String key);

    /** Where the objects are, for logs and health: never a secret. */
    String describe();
}
