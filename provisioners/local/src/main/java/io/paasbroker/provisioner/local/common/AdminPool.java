package io.paasbroker.provisioner.local.common;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.paasbroker.provisioner.ProvisionerException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Administrative JDBC access to one database server: a small pool of admin connections in autocommit, and what fails
 * on them translated into the SPI's exceptions, naming the server and what was being done.
 */
public final class AdminPool implements AutoCloseable {

    /** What an admin does on one connection. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * {@code work} in one transaction: committed once at its end, rolled back when it throws. A server flushes its log
     * at each commit, so statements that belong together cost one flush instead of one each.
     */
    public static <T> Work<T> inOneTransaction(Work<T> work) {
        return connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        };
    }

    /** Opens a connection of its own, outside the pool. */
    public interface Connector {
        Connection open() throws SQLException;
    }

    /**
     * Which of an engine's errors may pass if the request is made again, besides connection failures (SQL state class
     * 08) and {@link SQLTransientException}, which always may.
     */
    public interface TransientErrors {
        /**
         * @param sqlState the error's SQL state, empty when it has none
         * @param errorCode the engine's own error code
         */
        boolean mayPass(String sqlState, int errorCode);
    }

    private final String server;
    private final String jdbcUrl;
    private final String username;
    private final TransientErrors transientErrors;
    private final HikariDataSource pool;
    private volatile String password;
    private final ReadWriteLock passwordChange = new ReentrantReadWriteLock();
    /** Fair: a password change that waits for running programs holds back the programs started after it. */
    private final ReadWriteLock programRuns = new ReentrantReadWriteLock(true);

    /**
     * @param poolName the pool's name in logs
     * @param server how failures name the server: {@code PostgreSQL server 'shared'}
     * @param connectTimeout how long the server's driver waits to connect; the pool waits a second longer
     */
    public AdminPool(
            String poolName,
            String server,
            String jdbcUrl,
            String username,
            String password,
            Duration connectTimeout,
            TransientErrors transientErrors) {
        this.server = server;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.transientErrors = transientErrors;
        this.password = password;
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectTimeout.toMillis() + 1000);
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    /** Runs {@code work} on one pooled admin connection; {@code doing} says what for in a failure's message. */
    public <T> T onServer(String doing, Work<T> work) {
        return onConnection(doing, this::pooledOrOwn, work);
    }

    /**
     * A pooled connection, or one of its own when the pool has none at all to give in time: after a server was down,
     * the pool retries its connections with a back-off of up to five seconds, and a server that is back already is
     * reached at once, one that is not still says why. A pool whose connections are all busy keeps its limit.
     */
    private Connection pooledOrOwn() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            HikariPoolMXBean connections = pool.getHikariPoolMXBean();
            if (connections != null && connections.getTotalConnections() > 0) {
                throw e;
            }
            return DriverManager.getConnection(jdbcUrl, username, password);
        }
    }

    /**
     * Runs {@code work} on a connection {@code connector} opens, and closes it. The login waits while the admin's
     * password is being changed, so that it never tries the old password on a server that already has the new one.
     */
    public <T> T onConnection(String doing, Connector connector, Work<T> work) {
        try (Connection connection = login(connector)) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(doing, e);
        }
    }

    /**
     * Changes the admin's password: {@code onTheServer} sets it on the server (on a pooled connection), then new
     * connections log in with it. Logins of connections of their own wait in between. The change itself waits until
     * the client programs running with the old password have ended.
     */
    public void changePassword(String newPassword, Work<?> onTheServer) {
        programRuns.writeLock().lock();
        passwordChange.writeLock().lock();
        try {
            onServer("changing the admin's password", onTheServer);
            usePassword(newPassword);
        } finally {
            passwordChange.writeLock().unlock();
            programRuns.writeLock().unlock();
        }
    }

    /**
     * Runs {@code program}, a client program that logs in as the admin whenever it gets to it, with the admin's
     * password as it is now. A password change waits until running programs have ended and programs started meanwhile
     * wait for it, so that no program logs in with a password the server no longer takes.
     */
    public void withPassword(Consumer<String> program) {
        programRuns.readLock().lock();
        try {
            program.accept(password);
        } finally {
            programRuns.readLock().unlock();
        }
    }

    private Connection login(Connector connector) throws SQLException {
        passwordChange.readLock().lock();
        try {
            return connector.open();
        } finally {
            passwordChange.readLock().unlock();
        }
    }

    /** The admin's password new connections log in with. */
    public String password() {
        return password;
    }

    /**
     * New connections log in with {@code newPassword}; idle ones are retired and busy ones when they come back, so no
     * step in flight loses its connection.
     */
    public void usePassword(String newPassword) {
        password = newPassword;
        pool.getHikariConfigMXBean().setPassword(newPassword);
        HikariPoolMXBean connections = pool.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
    }

    /**
     * Whether a connection {@code connector} opens logs in: false when {@code wrongPassword} says the server refused
     * the password, a failure of the SPI when the server could not be asked.
     */
    public boolean logsIn(Connector connector, Predicate<SQLException> wrongPassword) {
        try (Connection connection = connector.open()) {
            return true;
        } catch (SQLException e) {
            if (wrongPassword.test(e)) {
                return false;
            }
            throw translate("checking an admin password", e);
        }
    }

    /** {@code sql} prepared, with {@code arguments} bound as strings. */
    public static PreparedStatement prepare(Connection connection, String sql, String... arguments)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < arguments.length; i++) {
            statement.setString(i + 1, arguments[i]);
        }
        return statement;
    }

    /** Whether {@code query} answers any row. */
    public static boolean exists(Connection connection, String query, String... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(connection, query, arguments);
                ResultSet rows = statement.executeQuery()) {
            return rows.next();
        }
    }

    /** The first column of every row. */
    public static List<String> strings(Connection connection, String query, String... arguments) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, query, arguments);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private ProvisionerException translate(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean mayPass = e instanceof SQLTransientException
                || state.startsWith("08")
                || transientErrors.mayPass(state, e.getErrorCode());
        return ServerFailures.failure(doing, server, ServerFailures.rootReason(e), mayPass, e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
