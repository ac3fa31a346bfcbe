package io.paasbroker.testbed;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * A real PostgreSQL server as a cloud sets up a managed one: the administrator logs in with its password and is no
 * superuser, but may create databases and roles and belongs to the cloud's administrator role (RDS's
 * {@code rds_superuser}), whose members may end other roles' sessions, not a superuser's; the superuser's password
 * nobody outside knows; every login over TCP on 127.0.0.1 needs its password, and TLS while it is required. The
 * server's certificate is the test bed's. Its WAL is archived from a base backup on ({@link PostgresLogs}), so it can
 * be restored to a point in time, by PostgreSQL's own recovery.
 */
public final class ManagedPostgres implements ManagedDatabaseServer {

    private static final String SUPERUSER = "postgres";
    private static final Duration PROMOTION = Duration.ofSeconds(60);

    private final EmbeddedPostgres server;
    private final Path directory;
    private final TestBedCertificates certificates;
    private final String superuserPassword;
    private final PostgresLogs logs;

    private ManagedPostgres(
            EmbeddedPostgres server,
            Path directory,
            TestBedCertificates certificates,
            String superuserPassword,
            PostgresLogs logs) {
        this.server = server;
        this.directory = directory;
        this.certificates = certificates;
        this.superuserPassword = superuserPassword;
        this.logs = logs;
    }

    /**
     * A new server under {@code directory} whose administrator belongs to {@code administratorRole}, made with it.
     * {@code databaseName}: the database to make for the administrator, or null for {@code postgres} alone.
     */
    public static ManagedPostgres start(
            Path directory,
            TestBedCertificates certificates,
            String administratorRole,
            String administrator,
            String password,
            String databaseName,
            boolean requireTls) {
        PostgresLogs logs = PostgresLogs.beside(directory);
        EmbeddedPostgres server = launch(directory, certificates, true);
        String superuserPassword = FakeSecrets.generate();
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, "");
                Statement s = c.createStatement()) {
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, superuserPassword.toCharArray(), "scram-sha-256");
            s.execute("CREATE ROLE \"" + administratorRole + "\" NOLOGIN");
            // its members may end other roles' sessions, not a superuser's
            s.execute("GRANT pg_signal_backend TO \"" + administratorRole + "\"");
            s.execute("CREATE ROLE \"" + administrator + "\" LOGIN CREATEDB CREATEROLE IN ROLE \"" + administratorRole
                    + "\"");
            c.unwrap(PGConnection.class).alterUserPassword(administrator, password.toCharArray(), "scram-sha-256");
            if (databaseName != null) {
                s.execute("CREATE DATABASE \"" + databaseName + "\" OWNER \"" + administrator + "\"");
            }
            s.execute("ALTER SYSTEM SET archive_command = '" + logs.archiveCommand() + "'");
            writeClientRules(directory, requireTls);
            s.execute("SELECT pg_reload_conf()");
            logs.startBaseBackup(server.getPort(), login(superuserPassword, certificates));
        } catch (SQLException | IOException | RuntimeException e) {
            ManagedPostgres half = new ManagedPostgres(server, directory, certificates, superuserPassword, logs);
            half.close();
            throw new IllegalStateException("could not set up the managed PostgreSQL server in " + directory, e);
        }
        return new ManagedPostgres(server, directory, certificates, superuserPassword, logs);
    }

    /**
     * Starts the server of {@code directory}: a new one ({@code fresh}), or the one a recovery was prepared in. WAL is
     * archived from the start.
     */
    private static EmbeddedPostgres launch(Path directory, TestBedCertificates certificates, boolean fresh) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(fresh)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("ssl", "on")
                    .setServerConfig(
                            "ssl_cert_file", certificates.certificateFile().toString())
                    .setServerConfig("ssl_key_file", certificates.keyFile().toString())
                    .setServerConfig("archive_mode", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the managed PostgreSQL server in " + directory + " did not start", e);
        }
    }

    @Override
    public Optional<Instant> earliestRestorableTime() {
        return logs.earliestRestorableTime();
    }

    /**
     * First a commit after {@code time}, and the WAL holding it archived: PostgreSQL's recovery stops at the first commit
     * past its target, and finds it only in the archive. Then a copy of the base backup recovers up to {@code time}
     * and is promoted, with the source's roles, passwords and superuser; its own logs start with a base backup.
     */
    @Override
    public ManagedPostgres restoredAt(Instant time, Path into, boolean requireTls) {
        Instant earliest = logs.awaitEarliestRestorableTime();
        if (time.isBefore(earliest) || time.isAfter(Instant.now())) {
            throw new RestoreOutsideWindowException(time, earliest);
        }
        archiveUpToNow();
        PostgresLogs restoredLogs = PostgresLogs.beside(into);
        logs.prepareRecovery(into, time, restoredLogs);
        EmbeddedPostgres restored = launch(into, certificates, false);
        try (Connection c = DriverManager.getConnection(url(restored, certificates), SUPERUSER, superuserPassword);
                Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + PROMOTION.toNanos();
            while (inRecovery(s)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the restored server did not leave recovery in " + PROMOTION);
                }
                Thread.sleep(100);
            }
            writeClientRules(into, requireTls);
            s.execute("SELECT pg_reload_conf()");
            restoredLogs.startBaseBackup(restored.getPort(), login(superuserPassword, certificates));
        } catch (SQLException | IOException | RuntimeException e) {
            new ManagedPostgres(restored, into, certificates, superuserPassword, restoredLogs).close();
            throw new IllegalStateException("could not restore a managed PostgreSQL server to " + time, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            new ManagedPostgres(restored, into, certificates, superuserPassword, restoredLogs).close();
            throw new IllegalStateException("interrupted while restoring a managed PostgreSQL server", e);
        }
        return new ManagedPostgres(restored, into, certificates, superuserPassword, restoredLogs);
    }

    private static boolean inRecovery(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** A commit now, then the WAL segment holding it closed and archived. */
    private void archiveUpToNow() {
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, superuserPassword);
                Statement s = c.createStatement()) {
            s.execute("SELECT txid_current()");
            String segment;
            try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                r.next();
                segment = r.getString(1);
            }
            long deadline = System.nanoTime() + PROMOTION.toNanos();
            while (true) {
                try (ResultSet r = s.executeQuery("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")) {
                    r.next();
                    if (r.getString(1).compareTo(segment) >= 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("WAL segment " + segment + " was not archived in " + PROMOTION);
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not archive the WAL of a managed PostgreSQL server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while archiving WAL", e);
        }
    }

    /**
     * The data of every database and role as they are now, as SQL (PostgreSQL's {@code pg_dumpall}, run as the
     * superuser), written to {@code file}: what a snapshot keeps. The superuser's own role is left out, so the
     * server it is loaded into keeps its own.
     */
    @Override
    public void dumpTo(Path file) {
        Path raw = file.resolveSibling(file.getFileName() + ".raw");
        ClientPrograms.run(
                List.of(
                        ClientPrograms.find("pg_dumpall").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port()),
                        "-U",
                        SUPERUSER,
                        "-f",
                        raw.toString()),
                environment(),
                "dumping a managed PostgreSQL server for a snapshot");
        try (var lines = Files.lines(raw)) {
            Files.write(file, (Iterable<String>) lines.filter(line -> !line.startsWith("CREATE ROLE " + SUPERUSER + ";")
                    && !line.startsWith("ALTER ROLE " + SUPERUSER + " "))::iterator);
            Files.delete(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot " + file, e);
        }
    }

    /** Loads what {@link #dumpTo} wrote, as the superuser: the roles and databases of the snapshot, with their data. */
    @Override
    public void load(Path file) {
        ClientPrograms.run(
                List.of(
                        ClientPrograms.find("psql").toString(),
                        "-q",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port()),
                        "-U",
                        SUPERUSER,
                        "-d",
                        "postgres",
                        "-f",
                        file.toString()),
                environment(),
                "restoring a snapshot into a managed PostgreSQL server");
    }

    /** The superuser's login for the client programs, over TLS verified with the test bed's CA. */
    private Map<String, String> environment() {
        return login(superuserPassword, certificates);
    }

    private static Map<String, String> login(String superuserPassword, TestBedCertificates certificates) {
        return Map.of(
                "PGPASSWORD",
                superuserPassword,
                "PGSSLMODE",
                "verify-full",
                "PGSSLROOTCERT",
                certificates.caFile().toString());
    }

    @Override
    public int port() {
        return server.getPort();
    }

    /** Every login needs its password, and TLS when {@code on}. */
    @Override
    public void requireTls(boolean on) {
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, superuserPassword);
                Statement s = c.createStatement()) {
            writeClientRules(directory, on);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not require TLS of a managed PostgreSQL server's logins", e);
        }
    }

    private static void writeClientRules(Path directory, boolean requireTls) throws IOException {
        String kind = requireTls ? "hostssl" : "host";
        Files.writeString(
                directory.resolve("pg_hba.conf"),
                "# the managed server's: every login needs its password"
                        + (requireTls ? ", and TLS\n" : "\n")
                        + kind + " all all 127.0.0.1/32 scram-sha-256\n"
                        // the cloud's own base backups: the superuser only, whose password nobody outside knows
                        + kind + " replication " + SUPERUSER + " 127.0.0.1/32 scram-sha-256\n");
    }

    @Override
    public void changeAdministratorPassword(String administrator, String password) {
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, superuserPassword)) {
            c.unwrap(PGConnection.class).alterUserPassword(administrator, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not change the administrator password of a managed PostgreSQL server", e);
        }
    }

    /** Runs {@code statements} as the superuser in {@code database}: what the cloud itself does inside its server. */
    public void asSuperuser(String database, List<String> statements) {
        try (Connection c =
                        DriverManager.getConnection(url(server, certificates, database), SUPERUSER, superuserPassword);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run the cloud's statements in a managed PostgreSQL server", e);
        }
    }

    /**
     * Sets a parameter of the cloud's own, one PostgreSQL does not know ({@code azure.extensions}), in the server's
     * configuration and reloads it: {@code ALTER SYSTEM} takes no such parameter.
     */
    public void setCloudParameter(String name, String value) {
        if (!name.matches("[a-z_]+\\.[a-z_]+") || value.contains("'") || value.contains("\n")) {
            throw new IllegalArgumentException("not a cloud parameter: " + name + " = " + value);
        }
        Path configuration = directory.resolve("postgresql.auto.conf");
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(configuration).stream()
                    .filter(line -> !line.startsWith(name + " "))
                    .toList());
            lines.add(name + " = '" + value + "'");
            Files.write(configuration, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + name + " of the managed PostgreSQL server", e);
        }
        asSuperuser("postgres", List.of("SELECT pg_reload_conf()"));
    }

    private static String url(EmbeddedPostgres server, TestBedCertificates certificates) {
        return url(server, certificates, "postgres");
    }

    private static String url(EmbeddedPostgres server, TestBedCertificates certificates, String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database + "?sslmode=verify-full&sslrootcert="
                + certificates.caFile();
    }

    @Override
    public void close() {
        try {
            server.close();
            logs.awaitBaseBackup(); // a base backup being taken ends with the server
        } catch (IOException e) {
            throw new UncheckedIOException("the managed PostgreSQL server in " + directory + " did not stop", e);
        }
    }
}
