package io.paasbroker.bench.cycle;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The SQL a PostgreSQL cycle cannot do without, on one admin connection to the same server, with no process start and
 * no pool: {@code CREATE ROLE} (the instance's group), {@code CREATE DATABASE ... OWNER}, {@code REVOKE CONNECT ...
 * FROM PUBLIC}; a login role {@code IN ROLE} the group; {@code DROP ROLE}; {@code DROP DATABASE ... WITH (FORCE)} and
 * {@code DROP ROLE}. The floor the local provisioner's cycle is compared to, measured at concurrency 1 only (one
 * connection).
 */
public final class PostgresSqlFloor implements BenchedService.SqlFloor {

    private final Connection admin;

    public PostgresSqlFloor(int port, String user, String password) {
        try {
            this.admin =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", user, password);
            admin.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot log in to the embedded PostgreSQL server", e);
        }
    }

    @Override
    public synchronized CycleTiming run() {
        String id = "floor_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String group = id + "_owner";
        String login = id + "_login";
        return new CycleTiming(
                step(
                        "CREATE ROLE " + group + " NOLOGIN",
                        "CREATE DATABASE " + id + " OWNER " + group,
                        "REVOKE CONNECT ON DATABASE " + id + " FROM PUBLIC"),
                step("CREATE ROLE " + login + " LOGIN PASSWORD '" + UUID.randomUUID() + "' IN ROLE " + group),
                step("DROP ROLE " + login),
                step("DROP DATABASE " + id + " WITH (FORCE)", "DROP ROLE " + group));
    }

    private CycleTiming.Step step(String... statements) {
        long start = System.nanoTime();
        try (Statement statement = admin.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the floor's SQL failed: " + e.getMessage(), e);
        }
        return CycleTiming.Step.raw(System.nanoTime() - start);
    }

    @Override
    public void close() throws SQLException {
        admin.close();
    }
}
