package io.paasbroker.it;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * A real PostgreSQL server outside the brokers, as in production: it holds the brokers' shared state store and the
 * tenants' databases, and checks every password.
 */
final class SharedPostgres implements AutoCloseable {

    static final String STATE_DATABASE = "broker_state";

    private final String adminPassword = "admin-" + UUID.randomUUID();
    private final Path data;
    private EmbeddedPostgres postgres;
    private int port;

    SharedPostgres() {
        try {
            data = Files.createTempDirectory("paasbroker-it-postgres");
            // kept when the server stops, so that a restart brings its data back; removed by close()
            postgres = builder().setCleanDataDirectory(false).start();
            port = postgres.getPort();
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                c.unwrap(PGConnection.class)
                        .alterUserPassword("postgres", adminPassword.toCharArray(), "scram-sha-256");
                s.execute("CREATE DATABASE " + STATE_DATABASE);
                Files.writeString(
                        data.resolve("pg_hba.conf"),
                        "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n");
                s.execute("SELECT pg_reload_conf()");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .setConnectConfig("password", adminPassword);
    }

    int port() {
        return port;
    }

    /** Stops the server, as an outage would; {@link #restart()} brings it back with its data, on its port. */
    void stop() throws IOException {
        postgres.close();
    }

    void restart() throws IOException, SQLException {
        postgres = builder().setCleanDataDirectory(false).setPort(port).start();
        if (!strings("postgres", "SELECT datname FROM pg_database").contains(STATE_DATABASE)) {
            throw new IllegalStateException("the server came back without its data");
        }
    }

    /** The broker properties that point a broker at this server for its state and as its tenants' server. */
    List<String> brokerProperties(String catalogFile) {
        return brokerProperties(catalogFile, this);
    }

    /** The same, with the tenants' databases on another server. */
    List<String> brokerProperties(String catalogFile, SharedPostgres tenants) {
        List<String> properties = new ArrayList<>();
        properties.add("paasbroker.embedded.enabled=false");
        properties.add("spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port() + "/" + STATE_DATABASE);
        properties.add("spring.datasource.username=postgres");
        properties.add("spring.datasource.password=" + adminPassword);
        properties.add("paasbroker.local.postgres[0].name=shared");
        properties.add("paasbroker.local.postgres[0].host=127.0.0.1");
        properties.add("paasbroker.local.postgres[0].port=" + tenants.port());
        properties.add("paasbroker.local.postgres[0].admin-username=postgres");
        properties.add("paasbroker.local.postgres[0].admin-password=" + tenants.adminPassword);
        properties.add("paasbroker.local.postgres[0].protected-databases=" + STATE_DATABASE);
        properties.add("paasbroker.credentials.encrypted-jdbc.keys[0].id=it-key-1");
        properties.add(
                "paasbroker.credentials.encrypted-jdbc.keys[0].secret=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        properties.add("paasbroker.catalog=file:" + catalogFile);
        properties.add("paasbroker.operations.lease=3s");
        properties.add("paasbroker.operations.poll-interval=200ms");
        return properties;
    }

    Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port() + "/" + database, "postgres", adminPassword);
    }

    List<String> strings(String database, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = admin(database);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
