package io.paasbroker.provisioner.local.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;

/**
 * Administrative access to one PostgreSQL server: a small pool on its maintenance database, short-lived connections to
 * tenant databases, and a cap on concurrent CREATE/DROP DATABASE (each forces a checkpoint; more in parallel only
 * raises latency).
 */
final class PostgresAdmin implements AutoCloseable {

    private final PostgresServer server;
    private final HikariDataSource pool;
    private final Semaphore databaseDdl = new Semaphore(2, true);

    PostgresAdmin(PostgresServer server) {
        this.server = server;
        HikariConfig config = new HikariConfig();
        config.setPoolName("postgres-admin-" + server.name());
        config.setJdbcUrl(server.jdbcUrl("postgres"));
        config.setUsername(server.adminUsername());
        config.setPassword(server.adminPassword());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(server.connectTimeout().toMillis() + 1000);
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    PostgresServer server() {
        return server;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on the maintenance database in autocommit (CREATE DATABASE refuses transactions). */
    <T> T onServer(String doing, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(doing, e);
        }
    }

    /** Runs {@code work} as the admin inside one tenant database. */
    <T> T inDatabase(String database, String doing, Work<T> work) {
        Properties login = new Properties();
        login.setProperty("user", server.adminUsername());
        login.setProperty("password", server.adminPassword());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database), login)) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(doing, e);
        }
    }

    /** Runs a CREATE or DROP DATABASE under the server's cap. */
    void databaseDdl(String doing, String sql) {
        try {
            databaseDdl.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException(doing + ": interrupted", e);
        }
        try {
            onServer(doing, c -> execute(c, sql));
        } finally {
            databaseDdl.release();
        }
    }

    static Void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }

    static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    static List<String> strings(Connection connection, String query, String argument) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, argument);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }

    /**
     * Connection failures, shutdowns, lack of resources and serialization conflicts may pass; anything else is a
     * failure the same request would meet again.
     */
    private ProvisionerException translate(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // the pool's own words ("request timed out") hide the server's reason ("Connection refused"): take the root's
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                doing + " on PostgreSQL server '" + server.name() + "' failed: " + firstLine(root.getMessage());
        boolean transientFailure = e instanceof SQLTransientException
                || state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57")
                || state.startsWith("40");
        return transientFailure
                ? new BackingServiceUnavailableException(message, e)
                : new ProvisioningFailedException(message, e);
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        pool.close();
    }
}
