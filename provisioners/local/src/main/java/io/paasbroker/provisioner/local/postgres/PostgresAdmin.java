package io.paasbroker.provisioner.local.postgres;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.AdminPool;
import io.paasbroker.provisioner.local.common.ServerAdmin;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Administrative access to one PostgreSQL server: a small pool on its maintenance database, short-lived connections to
 * tenant databases, and a cap on concurrent CREATE/DROP DATABASE (each forces a checkpoint; more in parallel only
 * raises latency).
 */
public final class PostgresAdmin implements ServerAdmin {

    private final PostgresServer server;
    private final AdminPool pool;
    private final Semaphore databaseDdl = new Semaphore(2, true);

    public PostgresAdmin(PostgresServer server) {
        this.server = server;
        this.pool = new AdminPool(
                "postgres-admin-" + server.name(),
                "PostgreSQL server '" + server.name() + "'",
                server.jdbcUrl("postgres"),
                server.adminUsername(),
                server.adminPassword(),
                server.connectTimeout(),
                PostgresAdmin::mayPass);
    }

    PostgresServer server() {
        return server;
    }

    @Override
    public ServerTls tls() {
        return server.tls();
    }

    /** Runs a client program that logs in as the admin, with the admin's password: see {@link AdminPool#withPassword}. */
    void withPassword(Consumer<String> program) {
        pool.withPassword(program);
    }

    /** Runs {@code work} on the maintenance database in autocommit (CREATE DATABASE refuses transactions). */
    <T> T onServer(String doing, AdminPool.Work<T> work) {
        return pool.onServer(doing, work);
    }

    /** Runs {@code work} as the admin inside one tenant database. */
    <T> T inDatabase(String database, String doing, AdminPool.Work<T> work) {
        return pool.onConnection(doing, () -> connect(database, pool.password()), work);
    }

    @Override
    public boolean acceptsPassword(String password) {
        // invalid password (28P01) or no pg_hba.conf line that lets the admin in with it (28000)
        return pool.logsIn(
                () -> connect("postgres", password),
                e -> String.valueOf(e.getSQLState()).startsWith("28"));
    }

    @Override
    public void changePassword(String newPassword) {
        pool.changePassword(newPassword, c -> {
            // hashed here (SCRAM), so the password never travels in an SQL text the server might log
            c.unwrap(PGConnection.class)
                    .alterUserPassword(server.adminUsername(), newPassword.toCharArray(), "scram-sha-256");
            return null;
        });
    }

    @Override
    public void usePassword(String password) {
        pool.usePassword(password);
    }

    private Connection connect(String database, String password) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", server.adminUsername());
        login.setProperty("password", password);
        return DriverManager.getConnection(server.jdbcUrl(database), login);
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

    /**
     * Besides connection failures: lack of resources (53), shutdowns (57) and serialization conflicts (40) may pass;
     * anything else is a failure the same request would meet again.
     */
    private static boolean mayPass(String sqlState, int errorCode) {
        return sqlState.startsWith("53") || sqlState.startsWith("57") || sqlState.startsWith("40");
    }

    @Override
    public void close() {
        pool.close();
    }
}
