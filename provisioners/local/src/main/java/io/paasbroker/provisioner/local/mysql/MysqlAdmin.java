package io.paasbroker.provisioner.local.mysql;

import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.AdminPool;
import io.paasbroker.provisioner.local.common.ServerAdmin;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Consumer;

/** Administrative access to one MySQL or MariaDB server through a small pool, in autocommit. */
public final class MysqlAdmin implements ServerAdmin {

    /**
     * Server errors that may pass: too many connections (1040), shutdown in progress (1053), per-user or resource
     * limits (1203, 1226), lock wait timeout (1205), deadlock (1213), connection killed (1927).
     */
    private static final Set<Integer> TRANSIENT_ERRORS = Set.of(1040, 1053, 1203, 1205, 1213, 1226, 1927);

    private static final int ACCESS_DENIED = 1045;

    private final MysqlServer server;
    private final AdminPool pool;

    public MysqlAdmin(MysqlServer server) {
        this.server = server;
        this.pool = new AdminPool(
                "mysql-admin-" + server.name(),
                "MySQL server '" + server.name() + "'",
                server.adminJdbcUrl(),
                server.adminUsername(),
                server.adminPassword(),
                server.connectTimeout(),
                MysqlAdmin::mayPass);
    }

    MysqlServer server() {
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

    /** The statement that creates an instance's database when it is missing, in the character set all get. */
    static String createDatabase(String database) {
        return "CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4";
    }

    /** Runs {@code work} on one admin connection; {@code doing} says what for in a failure's message. */
    <T> T onServer(String doing, AdminPool.Work<T> work) {
        return pool.onServer(doing, work);
    }

    @Override
    public boolean acceptsPassword(String password) {
        return pool.logsIn(
                () -> DriverManager.getConnection(server.adminJdbcUrl(), server.adminUsername(), password),
                e -> e.getErrorCode() == ACCESS_DENIED);
    }

    /**
     * Of the account the admin logged in as ({@code CURRENT_USER()}), whichever host part it has. Named explicitly:
     * MariaDB accepts {@code ALTER USER CURRENT_USER()} and changes nothing.
     */
    @Override
    public void changePassword(String newPassword) {
        pool.changePassword(newPassword, c -> {
            String account = AdminPool.strings(c, "SELECT CURRENT_USER()").get(0);
            int at = account.lastIndexOf('@');
            return execute(
                    c,
                    "ALTER USER ?@? IDENTIFIED BY ?",
                    account.substring(0, at),
                    account.substring(at + 1),
                    newPassword);
        });
    }

    @Override
    public void usePassword(String password) {
        pool.usePassword(password);
    }

    /** Runs {@code sql} with {@code arguments} bound as strings (a password travels this way, never in the text). */
    static Void execute(Connection connection, String sql, String... arguments) throws SQLException {
        try (PreparedStatement statement = AdminPool.prepare(connection, sql, arguments)) {
            statement.execute();
        }
        return null;
    }

    /**
     * Besides connection failures (SQL state class 08): serialization failures (40001) and the errors above may pass;
     * anything else would recur.
     */
    private static boolean mayPass(String sqlState, int errorCode) {
        return sqlState.equals("40001") || TRANSIENT_ERRORS.contains(errorCode);
    }

    @Override
    public void close() {
        pool.close();
    }
}
