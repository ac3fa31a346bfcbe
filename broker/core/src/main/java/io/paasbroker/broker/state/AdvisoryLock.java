package io.paasbroker.broker.state;

import io.paasbroker.provisioner.host.ReplicaLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Work that must run on one replica at a time (rotating a server's admin password, creating the backup key): a
 * PostgreSQL advisory lock in the state store, held on a connection of its own while the work runs. A replica that
 * dies while holding it loses the connection, and with it the lock.
 */
public final class AdvisoryLock implements ReplicaLock {

    private final DataSource dataSource;

    public AdvisoryLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public ReplicaLock.Held acquire(String name) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            call(connection, "SELECT pg_advisory_lock(hashtextextended(?, 0))", name);
            return new HeldLock(connection, name);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DataAccessResourceFailureException("cannot take the lock " + name, e);
        }
    }

    @Override
    public Optional<ReplicaLock.Held> tryAcquire(String name) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
                statement.setString(1, "paasbroker " + name);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        return Optional.of(new HeldLock(connection, name));
                    }
                }
            }
            closeQuietly(connection);
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DataAccessResourceFailureException("cannot try the lock " + name, e);
        }
    }

    /** A held lock; closing releases it. */
    private static final class HeldLock implements ReplicaLock.Held {

        private final Connection connection;
        private final String name;

        private HeldLock(Connection connection, String name) {
            this.connection = connection;
            this.name = name;
        }

        @Override
        public void close() {
            try {
                call(connection, "SELECT pg_advisory_unlock(hashtextextended(?, 0))", name);
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("cannot release the lock " + name, e);
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private static void call(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, "paasbroker " + name);
            statement.execute();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the lock goes with the session; a pooled connection that cannot close is discarded by the pool
        }
    }
}
