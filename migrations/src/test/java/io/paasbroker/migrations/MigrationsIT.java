package io.paasbroker.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The state store schema on a real, fresh PostgreSQL: it applies, and the database itself enforces its rules. */
@Timeout(120)
class MigrationsIT {

    private static final String UNIQUE_VIOLATION = "23505";

    private static EmbeddedPostgres postgres;
    private static DataSource database;
    private static MigrateResult firstMigration;

    @BeforeAll
    static void migrateAFreshDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        database = postgres.getPostgresDatabase();
        firstMigration = flyway().migrate();
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyMigrationAppliesToAFreshDatabase() {
        MigrationInfo[] all = flyway().info().all();

        assertThat(firstMigration.success).isTrue();
        assertThat(firstMigration.migrationsExecuted).isPositive().isEqualTo(all.length);
        assertThat(all).extracting(MigrationInfo::getState).containsOnly(MigrationState.SUCCESS);
    }

    @Test
    void migratingAgainAppliesNothing() {
        MigrateResult again = flyway().migrate();

        assertThat(again.success).isTrue();
        assertThat(again.migrationsExecuted).isZero();
    }

    @Test
    void stateStoreTablesExist() throws SQLException {
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                .contains(
                        "service_instances",
                        "service_bindings",
                        "operations",
                        "audit_events",
                        "credentials",
                        "credential_key_canaries");
    }

    @Test
    void instancesBindingsAndOperationsCarryAnOptimisticVersion() throws SQLException {
        assertThat(strings("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
                        + " AND column_name = 'version' AND data_type = 'bigint' AND is_nullable = 'NO'"))
                .contains("service_instances", "service_bindings", "operations");
    }

    @Test
    void secondInProgressOperationOnAnInstanceIsRefused() throws SQLException {
        String instance = insertInstance();
        insertOperation(instance, null);

        assertThatThrownBy(() -> insertOperation(instance, null))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(UNIQUE_VIOLATION));
    }

    @Test
    void inProgressOperationsOnDifferentInstancesAreAccepted() throws SQLException {
        insertOperation(insertInstance(), null);

        assertThat(insertOperation(insertInstance(), null)).isNotBlank();
    }

    @Test
    void newOperationOnAnInstanceIsAcceptedOnceTheLastSucceeded() throws SQLException {
        String instance = insertInstance();
        finish(insertOperation(instance, null), "succeeded");

        assertThat(insertOperation(instance, null)).isNotBlank();
    }

    @Test
    void secondInProgressOperationOnABindingIsRefused() throws SQLException {
        String instance = insertInstance();
        String binding = insertBinding(instance);
        insertOperation(instance, binding);

        assertThatThrownBy(() -> insertOperation(instance, binding))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(UNIQUE_VIOLATION));
    }

    @Test
    void inProgressOperationsOnDifferentBindingsOfAnInstanceAreAccepted() throws SQLException {
        String instance = insertInstance();
        insertOperation(instance, insertBinding(instance));

        assertThat(insertOperation(instance, insertBinding(instance))).isNotBlank();
    }

    @Test
    void newOperationOnABindingIsAcceptedOnceTheLastSucceeded() throws SQLException {
        String instance = insertInstance();
        String binding = insertBinding(instance);
        finish(insertOperation(instance, binding), "succeeded");

        assertThat(insertOperation(instance, binding)).isNotBlank();
    }

    private static Flyway flyway() {
        return Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .load();
    }

    private static String insertInstance() throws SQLException {
        String id = UUID.randomUUID().toString();
        update(
                "INSERT INTO service_instances (id, service_id, plan_id, state) VALUES (?, 'svc', 'plan', 'provisioned')",
                id);
        return id;
    }

    private static String insertBinding(String instanceId) throws SQLException {
        String id = UUID.randomUUID().toString();
        update(
                "INSERT INTO service_bindings (id, instance_id, service_id, plan_id, state)"
                        + " VALUES (?, ?, 'svc', 'plan', 'bound')",
                id,
                instanceId);
        return id;
    }

    /** An in-progress operation on the instance, or on one of its bindings when {@code bindingId} is given. */
    private static String insertOperation(String instanceId, String bindingId) throws SQLException {
        String id = UUID.randomUUID().toString();
        update(
                "INSERT INTO operations (id, instance_id, binding_id, type, state) VALUES (?, ?, ?, ?, 'in progress')",
                id,
                instanceId,
                bindingId,
                bindingId == null ? "update" : "bind");
        return id;
    }

    private static void finish(String operationId, String state) throws SQLException {
        update("UPDATE operations SET state = ?, finished_at = now() WHERE id = ?", state, operationId);
    }

    private static void update(String sql, String... arguments) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            statement.executeUpdate();
        }
    }

    private static List<String> strings(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.getConnection();
                ResultSet rows = c.createStatement().executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
