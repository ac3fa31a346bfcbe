package io.paasbroker.aws.testbed.fake;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * The real PostgreSQL server behind one fake RDS instance, as RDS sets one up: the master user logs in with its
 * password and is no superuser, but may create databases and roles and belongs to {@code rds_superuser}; the
 * superuser's password nobody outside knows; every login over TCP on 127.0.0.1 needs its password, and TLS while the
 * parameter group's {@code rds.force_ssl} is on (RDS's default from PostgreSQL 15). The server's certificate is the
 * test bed's.
 */
final class RdsPostgres implements RdsServer {

    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres server;
    private final Path directory;
    private final TestBedCertificates certificates;
    private final String superuserPassword;

    private RdsPostgres(
            EmbeddedPostgres server, Path directory, TestBedCertificates certificates, String superuserPassword) {
        this.server = server;
        this.directory = directory;
        this.certificates = certificates;
        this.superuserPassword = superuserPassword;
    }

    /** {@code databaseName}: the database to make for the master, or null for {@code postgres} alone, as on RDS. */
    static RdsPostgres start(
            Path directory,
            TestBedCertificates certificates,
            String masterUsername,
            String masterPassword,
            String databaseName,
            boolean forceSsl) {
        EmbeddedPostgres server;
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("ssl", "on")
                    .setServerConfig(
                            "ssl_cert_file", certificates.certificateFile().toString())
                    .setServerConfig("ssl_key_file", certificates.keyFile().toString())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the PostgreSQL server of a fake RDS instance did not start", e);
        }
        String superuserPassword = FakeSecrets.generate();
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, "");
                Statement s = c.createStatement()) {
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, superuserPassword.toCharArray(), "scram-sha-256");
            s.execute("CREATE ROLE rds_superuser NOLOGIN");
            // as on RDS: its members may end other roles' sessions, not a superuser's
            s.execute("GRANT pg_signal_backend TO rds_superuser");
            s.execute("CREATE ROLE \"" + masterUsername + "\" LOGIN CREATEDB CREATEROLE IN ROLE rds_superuser");
            c.unwrap(PGConnection.class)
                    .alterUserPassword(masterUsername, masterPassword.toCharArray(), "scram-sha-256");
            if (databaseName != null) {
                s.execute("CREATE DATABASE \"" + databaseName + "\" OWNER \"" + masterUsername + "\"");
            }
            writeClientRules(directory, forceSsl);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            RdsPostgres half = new RdsPostgres(server, directory, certificates, superuserPassword);
            half.close();
            throw new IllegalStateException("could not set up the PostgreSQL server of a fake RDS instance", e);
        }
        return new RdsPostgres(server, directory, certificates, superuserPassword);
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
                "dumping a fake RDS instance for a snapshot");
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
                "restoring a snapshot into a fake RDS instance");
    }

    /** The superuser's login for the client programs, over TLS verified with the test bed's CA. */
    private Map<String, String> environment() {
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

    /**
     * Applies the parameter group's {@code rds.force_ssl}: every login needs its password, and TLS when it is on (as
     * PostgreSQL 15 on RDS has it by default).
     */
    @Override
    public void requireTls(boolean on) {
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, superuserPassword);
                Statement s = c.createStatement()) {
            writeClientRules(directory, on);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not apply rds.force_ssl to a fake RDS instance", e);
        }
    }

    private static void writeClientRules(Path directory, boolean forceSsl) throws IOException {
        Files.writeString(
                directory.resolve("pg_hba.conf"),
                "# the fake RDS instance's: every login needs its password"
                        + (forceSsl ? ", and TLS (rds.force_ssl = 1)\n" : "\n")
                        + (forceSsl ? "hostssl" : "host") + " all all 127.0.0.1/32 scram-sha-256\n");
    }

    @Override
    public void changeMasterPassword(String masterUsername, String password) {
        try (Connection c = DriverManager.getConnection(url(server, certificates), SUPERUSER, superuserPassword)) {
            c.unwrap(PGConnection.class).alterUserPassword(masterUsername, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IllegalStateException("could not change the master password of a fake RDS instance", e);
        }
    }

    private static String url(EmbeddedPostgres server, TestBedCertificates certificates) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres?sslmode=verify-full&sslrootcert="
                + certificates.caFile();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("the PostgreSQL server of a fake RDS instance did not stop", e);
        }
    }
}
