package io.paasbroker.aws.testbed.fake;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** The real database server behind one fake RDS instance, whatever its engine. */
interface RdsServer extends AutoCloseable {

    /** Its port on 127.0.0.1: the instance's endpoint. */
    int port();

    /** Applies the parameter group's TLS parameter ({@code rds.force_ssl}, {@code require_secure_transport}). */
    void requireTls(boolean on);

    /** What RDS does with a modification's {@code MasterUserPassword}. */
    void changeMasterPassword(String masterUsername, String password);

    /** Writes the server's data, its accounts among it, to {@code file}: what a snapshot keeps. */
    void dumpTo(Path file);

    /** Loads what {@link #dumpTo} wrote. */
    void load(Path file);

    /**
     * A new server under {@code directory} with this server's data as it was at {@code time}, replayed from its logs:
     * what a point-in-time restore makes.
     */
    RdsServer restoredAt(Instant time, Path directory, boolean requireTls);

    /** How far back {@link #restoredAt} reaches; none while the server's logs cannot be restored from yet. */
    Optional<Instant> earliestRestorableTime();

    @Override
    void close();
}
