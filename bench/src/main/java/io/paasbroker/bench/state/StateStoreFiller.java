package io.paasbroker.bench.state;

import io.paasbroker.bench.broker.EmbeddedPostgresAccess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Puts fake instances into the broker's state store, as if it had served them for a while, and takes them out again:
 * each provisioned, with the succeeded provision operation that made it. No database exists for them; only the
 * broker's tables grow.
 */
public final class StateStoreFiller {

    private static final String PREFIX = "bench-filler-";

    private final EmbeddedPostgresAccess embedded;
    private final String serviceId;
    private final String planId;

    public StateStoreFiller(EmbeddedPostgresAccess embedded, String serviceId, String planId) {
        this.embedded = embedded;
        this.serviceId = serviceId;
        this.planId = planId;
    }

    public void fill(int instances) throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO service_instances (id, service_id,"
                    + " plan_id, state, organization_guid, space_guid, maintenance_version, outputs)"
                    + " SELECT '" + PREFIX + "' || g, ?, ?, 'provisioned', 'bench-org', 'bench-space', '1.0.0',"
                    + " '{\"server\":\"embedded\",\"database\":\"pb_filler_' || g || '\"}'"
                    + " FROM generate_series(1, ?) g")) {
                insert.setString(1, serviceId);
                insert.setString(2, planId);
                insert.setInt(3, instances);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO operations (id, instance_id, type, state,"
                    + " description, created_at, finished_at)"
                    + " SELECT '" + PREFIX + "op-' || g, '" + PREFIX + "' || g, 'provision', 'succeeded',"
                    + " 'provisioned', now() - interval '1 day', now() - interval '1 day'"
                    + " FROM generate_series(1, ?) g")) {
                insert.setInt(1, instances);
                insert.executeUpdate();
            }
            // statistics as autovacuum would have gathered them by now, so the planner sees the tables as they are
            analyze(c, "ANALYZE");
        }
    }

    /** Removes the fake instances and vacuums, so the tables are back to their size without them. */
    public void empty() throws SQLException {
        try (Connection c = connect()) {
            try (Statement delete = c.createStatement()) {
                // the operations go with their instances (ON DELETE CASCADE)
                delete.executeUpdate("DELETE FROM service_instances WHERE id LIKE '" + PREFIX + "%'");
            }
            analyze(c, "VACUUM ANALYZE");
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(
                embedded.jdbcUrl(EmbeddedPostgresAccess.STATE_DATABASE),
                EmbeddedPostgresAccess.ADMIN,
                embedded.adminPassword());
    }

    private static void analyze(Connection c, String command) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(command + " service_instances, operations");
        }
    }
}
