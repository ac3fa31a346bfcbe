package io.paasbroker.provisioner.local.mysql;

import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A user and password for the MySQL client programs, in an option file only the broker's user can read, in a
 * directory of its own that closing deletes: on a command line every local user could read the password.
 */
final class MysqlLogin implements AutoCloseable {

    private final Path directory;
    private final Path file;

    private MysqlLogin(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    static MysqlLogin of(String user, String password) {
        try {
            Path directory = Files.createTempDirectory(
                    "paasbroker-mysql-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = Files.createFile(
                    directory.resolve("login.cnf"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            MysqlLogin login = new MysqlLogin(directory, file);
            try {
                Files.writeString(
                        file,
                        "[client]\nuser=" + quoted(user) + "\npassword=" + quoted(password) + "\n",
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                login.close();
                throw e;
            }
            return login;
        } catch (IOException e) {
            throw new ProvisioningFailedException("cannot write the MySQL client's option file: " + e.getMessage(), e);
        }
    }

    /** The client programs' first argument. */
    String argument() {
        return "--defaults-extra-file=" + file;
    }

    /** Option files unescape \\, \", \n and \r, and drop the enclosing quotes. */
    private static String quoted(String value) {
        return "\""
                + value.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r")
                + "\"";
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new ProvisioningFailedException("cannot delete the MySQL client's option file " + file, e);
        }
    }
}
