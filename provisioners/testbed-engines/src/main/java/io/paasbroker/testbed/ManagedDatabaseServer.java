package io.paasbroker.testbed;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The real database server behind one managed database of a fake cloud, whatever its engine: its administrator is no
 * superuser; the superuser is the cloud's own.
 */
public interface ManagedDatabaseServer extends AutoCloseable {

    /** Its port on 127.0.0.1: the database's endpoint. */
    int port();

    /** Requires TLS of every login, or not: what a cloud's TLS setting ({@code rds.force_ssl}, ...) applies. */
    void requireTls(boolean on);

    /** What a cloud does with a new administrator password. */
    void changeAdministratorPassword(String administrator, String password);

    /** Writes the server's data, its accounts among it, to {@code file}: what a snapshot keeps. */
    void dumpTo(Path file);

    /** Loads what {@link #dumpTo} wrote. */
    void load(Path file);

    /**
     * A new server under {@code directory} with this server's data as it was at {@code time}, replayed from its logs:
     * what a point-in-time restore makes.
     *
     * @throws RestoreOutsideWindowException when {@code time} is before {@link #earliestRestorableTime} or after now
     */
    ManagedDatabaseServer restoredAt(Instant time, Path directory, boolean requireTls);

    /** How far back {@link #restoredAt} reaches; none while the server's logs cannot be restored from yet. */
    Optional<Instant> earliestRestorableTime();

    @Override
    void close();
}
