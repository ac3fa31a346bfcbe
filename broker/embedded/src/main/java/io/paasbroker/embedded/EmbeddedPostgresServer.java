package io.paasbroker.embedded;

import io.paasbroker.provisioner.host.DataDirectory;
import io.paasbroker.provisioner.local.postgres.PostgresServer;
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
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server under the data directory, on a loopback port chosen on first start and kept, so that
 * credentials handed out stay valid across restarts. It holds the broker's own state (database {@code paasbroker})
 * and the tenants' databases; every login needs a password (SCRAM), so tenants are kept apart by their credentials.
 * It offers TLS with the embedded default's certificate.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String STATE_DATABASE = "paasbroker";
    public static final String ADMIN = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final int port;
    private final String adminPassword;
    private final EmbeddedCertificates certificates;

    public EmbeddedPostgresServer(DataDirectory data, EmbeddedCertificates certificates) {
        this.certificates = certificates;
        DataDirectory.ServerSettings settings = data.serverSettings("postgres");
        this.port = settings.port();
        this.adminPassword = settings.adminPassword();
        Path pgData = data.resolve("postgres");
        boolean firstStart = !Files.exists(pgData.resolve("PG_VERSION"));
        // PostgreSQL refuses to start over its own live pid file: a server a killed broker left is stopped first
        StaleServerProcess.stop("embedded PostgreSQL server", pgData.resolve("postmaster.pid"));
        try {
            this.postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("ssl", "on")
                    .setServerConfig(
                            "ssl_cert_file", certificates.certificateFile().toString())
                    .setServerConfig("ssl_key_file", certificates.keyFile().toString())
                    // the library turns these off for throw-away test databases; this server keeps the broker's
                    // state and the tenants' data, so a commit is on disk before it is answered, as by default
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setConnectConfig("password", adminPassword)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL server did not start in " + pgData, e);
        }
        if (firstStart) {
            secure(pgData);
        }
        writeClientRules(pgData);
        log.info("Embedded PostgreSQL {} listening on 127.0.0.1:{} (data in {})", version(), port, pgData);
    }

    public int port() {
        return port;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The broker's own connections go over TLS too, verifying the server against the embedded CA's file. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + "?sslmode=verify-full&sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=file:"
                + certificates.caFile();
    }

    /** Sets the admin password and creates the state database. */
    private void secure(Path pgData) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), ADMIN, adminPassword);
                Statement s = c.createStatement()) {
            c.unwrap(PGConnection.class).alterUserPassword(ADMIN, adminPassword.toCharArray(), "scram-sha-256");
            s.execute("CREATE DATABASE " + STATE_DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not secure the embedded PostgreSQL server in " + pgData, e);
        }
    }

    /**
     * Written on every start, so that servers made before a rule existed get it: every login needs its password, and
     * logins of plans that require TLS (members of {@link PostgresServer#TLS_ONLY_GROUP}) are refused without it.
     */
    private void writeClientRules(Path pgData) {
        String tlsOnly = "+" + PostgresServer.TLS_ONLY_GROUP;
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), ADMIN, adminPassword);
                Statement s = c.createStatement()) {
            Files.writeString(
                    pgData.resolve("pg_hba.conf"),
                    "# written by paasbroker at every start\n"
                            + "local all all scram-sha-256\n"
                            + "hostnossl all " + tlsOnly + " 127.0.0.1/32 reject\n"
                            + "hostnossl all " + tlsOnly + " ::1/128 reject\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not write the client rules of the embedded PostgreSQL server", e);
        }
    }

    private String version() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), ADMIN, adminPassword)) {
            return c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "(version unknown: " + e.getSQLState() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
