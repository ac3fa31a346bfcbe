package io.paasbroker.bench.floor;

import io.paasbroker.bench.broker.EmbeddedPostgresAccess;
import io.paasbroker.bench.cycle.Cycle;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The state-store floor of a cycle: the commits no broker that keeps its operations durable can do without, two per
 * call (the operation recorded before its step, its outcome after), each the smallest there is, one row inserted in a
 * transaction of its own, on the server and database of the broker's state, over JDBC. The machine is left idle before
 * each call's pair as before a call.
 */
final class DurableWrites implements AutoCloseable {

    static final int CALLS = 4;
    static final int COMMITS_PER_CALL = 2;

    private static final String TABLE = "bench_durable_writes";

    private final Connection connection;
    private final PreparedStatement insert;

    private DurableWrites(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL)");
        }
        this.insert = connection.prepareStatement("INSERT INTO " + TABLE + " (note) VALUES (?)");
    }

    static DurableWrites open(EmbeddedPostgresAccess stateStore) throws SQLException {
        return new DurableWrites(DriverManager.getConnection(
                stateStore.jdbcUrl(EmbeddedPostgresAccess.STATE_DATABASE),
                EmbeddedPostgresAccess.ADMIN,
                stateStore.adminPassword()));
    }

    /** One cycle's commits, {@code idle} before each call's pair; returns their time, the idle moments not counted. */
    long cycleNanos(Duration idle) {
        long nanos = 0;
        for (int call = 0; call < CALLS; call++) {
            Cycle.idle(idle);
            long start = System.nanoTime();
            for (int commit = 0; commit < COMMITS_PER_CALL; commit++) {
                write();
            }
            nanos += System.nanoTime() - start;
        }
        return nanos;
    }

    private void write() {
        try {
            insert.setString(1, UUID.randomUUID().toString());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("a commit on the state store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws SQLException {
        try (connection;
                Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }
}
