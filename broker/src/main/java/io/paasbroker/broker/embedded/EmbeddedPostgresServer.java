package io.paasbroker.broker.embedded;

import io.paasbroker.provisioner.Passwords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server under the data directory, on a loopback port chosen on first start and kept, so that
 * credentials handed out stay valid across restarts. It holds the broker's own state (database {@code paasbroker})
 * and the tenants' databases; every login needs a password (SCRAM), so tenants are kept apart by their credentials.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String STATE_DATABASE = "paasbroker";
    public static final String ADMIN = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final int port;
    private final String adminPassword;

    public EmbeddedPostgresServer(DataDirectory data) {
        Properties settings = data.secretProperties("embedded-postgres.properties", () -> {
            Properties initial = new Properties();
            initial.setProperty("port", String.valueOf(freePort()));
            initial.setProperty("admin-password", Passwords.generate());
            return initial;
        });
        this.port = Integer.parseInt(settings.getProperty("port"));
        this.adminPassword = settings.getProperty("admin-password");
        Path pgData = data.resolve("postgres");
        boolean firstStart = !Files.exists(pgData.resolve("PG_VERSION"));
        stopServerLeftRunning(pgData);
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
                    .setConnectConfig("password", adminPassword)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL server did not start in " + pgData, e);
        }
        if (firstStart) {
            secure(pgData);
        }
        log.info("Embedded PostgreSQL {} listening on 127.0.0.1:{} (data in {})", version(), port, pgData);
    }

    public int port() {
        return port;
    }

    public String adminPassword() {
        return adminPassword;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Sets the admin password, creates the state database, and turns on password checks for every connection. */
    private void secure(Path pgData) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), ADMIN, adminPassword);
                Statement s = c.createStatement()) {
            c.unwrap(PGConnection.class).alterUserPassword(ADMIN, adminPassword.toCharArray(), "scram-sha-256");
            s.execute("CREATE DATABASE " + STATE_DATABASE);
            Files.writeString(
                    pgData.resolve("pg_hba.conf"),
                    "# written by paasbroker: every login needs its password\n"
                            + "local all all scram-sha-256\n"
                            + "host all all 127.0.0.1/32 scram-sha-256\n"
                            + "host all all ::1/128 scram-sha-256\n");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not secure the embedded PostgreSQL server in " + pgData, e);
        }
    }

    private String version() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), ADMIN, adminPassword)) {
            return c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "(version unknown: " + e.getSQLState() + ")";
        }
    }

    /**
     * A broker killed without shutdown leaves its server running and holding the data directory; stop it so this
     * start can take over.
     */
    private static void stopServerLeftRunning(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> server = ProcessHandle.of(pid);
            if (server.isPresent() && server.get().isAlive()) {
                log.warn("Stopping the embedded PostgreSQL server (pid {}) a previous run left behind", pid);
                server.get().destroy();
                try {
                    server.get().onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    server.get().destroyForcibly();
                    server.get().onExit().get(10, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            log.warn("Could not check the PostgreSQL pid file {}: {}", pidFile, e.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
