package io.paasbroker.provisioner.local.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Administrative access to one MySQL or MariaDB server through a small pool, in autocommit. */
final class MysqlAdmin implements AutoCloseable {

    /**
     * Server errors that may pass: too many connections (1040), shutdown in progress (1053), per-user or resource
     * limits (1203, 1226), lock wait timeout (1205), deadlock (1213), connection killed (1927).
     */
    private static final Set<Integer> TRANSIENT_ERRORS = Set.of(1040, 1053, 1203, 1205, 1213, 1226, 1927);

    private final MysqlServer server;
    private final HikariDataSource pool;

    MysqlAdmin(MysqlServer server) {
        this.server = server;
        HikariConfig config = new HikariConfig();
        config.setPoolName("mysql-admin-" + server.name());
        config.setJdbcUrl(server.adminJdbcUrl());
        config.setUsername(server.adminUsername());
        config.setPassword(server.adminPassword());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(server.connectTimeout().toMillis() + 1000);
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    MysqlServer server() {
        return server;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on one admin connection; {@code doing} says what for in a failure's message. */
    <T> T onServer(String doing, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(doing, e);
        }
    }

    /** Runs {@code sql} with {@code arguments} bound as strings (a password travels this way, never in the text). */
    static Void execute(Connection connection, String sql, String... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, arguments)) {
            statement.execute();
        }
        return null;
    }

    static boolean exists(Connection connection, String query, String... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(connection, query, arguments);
                ResultSet rows = statement.executeQuery()) {
            return rows.next();
        }
    }

    /** The first column of every row. */
    static List<String> strings(Connection connection, String query, String... arguments) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, query, arguments);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static PreparedStatement prepare(Connection connection, String sql, String... arguments)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < arguments.length; i++) {
            statement.setString(i + 1, arguments[i]);
        }
        return statement;
    }

    /** Connection failures (SQL state class 08) and the errors above may pass; anything else would recur. */
    private ProvisionerException translate(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // the pool's own words ("request timed out") hide the server's reason ("Connection refused"): take the root's
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = doing + " on MySQL server '" + server.name() + "' failed: " + firstLine(root.getMessage());
        boolean transientFailure = e instanceof SQLTransientException
                || state.startsWith("08")
                || state.equals("40001")
                || TRANSIENT_ERRORS.contains(e.getErrorCode());
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
