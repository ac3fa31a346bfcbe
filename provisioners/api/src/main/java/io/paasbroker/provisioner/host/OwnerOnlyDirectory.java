package io.paasbroker.provisioner.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory only the broker's user can enter: what lies below it (tenants' data, backups being written, keys) is
 * out of other local users' reach whatever the modes of the files the servers in it create.
 */
public final class OwnerOnlyDirectory {

    private OwnerOnlyDirectory() {}

    /** Creates {@code directory} (and its parents) or takes the existing one, and makes it {@code rwx------}. */
    public static Path create(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory " + directory + " for the broker alone", e);
        }
    }
}
