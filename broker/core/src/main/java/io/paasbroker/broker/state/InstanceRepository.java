package io.paasbroker.broker.state;

import io.paasbroker.broker.state.InstanceRecord.InstanceState;
import io.paasbroker.broker.state.OperationRepository.Answer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class InstanceRepository {

    private static final String COLUMNS = "id, service_id, plan_id, state, parameters, context, organization_guid,"
            + " space_guid, maintenance_version, outputs, credentials_ref, platform_account, created_at";

    /**
     * Inserts a new instance, or nothing when one with the id exists already: run inside the statement that records
     * its provision ({@link OperationRepository.Precondition#created}).
     */
    static final String INSERT = "INSERT INTO service_instances (id, service_id, plan_id, state, parameters, context,"
            + " organization_guid, space_guid, maintenance_version, outputs, credentials_ref, platform_account)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

    /**
     * The instance's row, locked FOR SHARE, while it is provisioned with the service and plan given (parameters: id,
     * service id, plan id): the CTE {@code instance} of a statement that records a change of one of its bindings.
     * Bindings of one instance change side by side under this lock. An instance-level change locks the row FOR
     * UPDATE and keeps the instance out of 'provisioned' while it is in flight, so it either waits for this statement
     * or, done first, leaves this CTE empty: PostgreSQL checks a row it had to wait for again, in its newest version.
     */
    static final String PROVISIONED_SHARED = "instance AS (SELECT " + COLUMNS
            + " FROM service_instances WHERE id = ? AND service_id = ? AND plan_id = ? AND state = '"
            + InstanceState.PROVISIONED.column() + "' FOR SHARE)";

    /** What a statement with {@link #PROVISIONED_SHARED} reads of the instance. */
    public static final Answer<InstanceRecord> PROVISIONED_INSTANCE =
            new Answer<>(List.of("instance"), InstanceRepository::map);

    private final JdbcClient jdbc;

    public InstanceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<InstanceRecord> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM service_instances WHERE id = ?")
                .param(id)
                .query(InstanceRepository::map)
                .optional();
    }

    /** Reads the instance and locks its row until the transaction ends: every change of it queues here. */
    public Optional<InstanceRecord> lock(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM service_instances WHERE id = ? FOR UPDATE")
                .param(id)
                .query(InstanceRepository::map)
                .optional();
    }

    static List<Object> insertParameters(InstanceRecord instance) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(instance.id());
        parameters.addAll(attributes(instance));
        return parameters;
    }

    /** Writes every attribute of an existing row (a re-provision over a tombstone, or an applied update). */
    public void replace(InstanceRecord instance) {
        replacement(instance).run(jdbc);
    }

    public StateChange replacement(InstanceRecord instance) {
        List<Object> parameters = attributes(instance);
        parameters.add(instance.id());
        return new StateChange(
                "UPDATE service_instances SET service_id = ?, plan_id = ?, state = ?, parameters = ?, context = ?,"
                        + " organization_guid = ?, space_guid = ?, maintenance_version = ?, outputs = ?,"
                        + " credentials_ref = ?, platform_account = ?, updated_at = now(), version = version + 1"
                        + " WHERE id = ?",
                "",
                parameters);
    }

    /** Every column an instance's owner sets, in the order of {@link #INSERT} and {@link #replacement} after the id. */
    private static List<Object> attributes(InstanceRecord instance) {
        return new ArrayList<>(Arrays.asList(
                instance.serviceId(),
                instance.planId(),
                instance.state().column(),
                Json.write(instance.parameters()),
                Json.write(instance.context()),
                instance.organizationGuid(),
                instance.spaceGuid(),
                instance.maintenanceVersion(),
                Json.write(instance.outputs()),
                instance.credentialsRef(),
                instance.platformAccount()));
    }

    public StateChange stateChange(String id, InstanceState state) {
        return new StateChange(
                "UPDATE service_instances SET state = ?, updated_at = now(), version = version + 1 WHERE id = ?",
                state.column(),
                id);
    }

    /** The platform account that created the instance, if the instance exists and has one. */
    public Optional<String> platformAccount(String id) {
        return jdbc.sql("SELECT platform_account FROM service_instances WHERE id = ? AND state <> 'deprovisioned'")
                .param(id)
                .query(String.class)
                .optional();
    }

    public void setContext(String id, Map<String, Object> context) {
        jdbc.sql("UPDATE service_instances SET context = ?, updated_at = now(), version = version + 1 WHERE id = ?")
                .params(Json.write(context), id)
                .update();
    }

    static InstanceRecord map(ResultSet row, int n) throws SQLException {
        return new InstanceRecord(
                row.getString("id"),
                row.getString("service_id"),
                row.getString("plan_id"),
                InstanceState.of(row.getString("state")),
                Json.read(row.getString("parameters")),
                Json.read(row.getString("context")),
                row.getString("organization_guid"),
                row.getString("space_guid"),
                row.getString("maintenance_version"),
                Json.readStrings(row.getString("outputs")),
                row.getString("credentials_ref"),
                row.getString("platform_account"),
                row.getTimestamp("created_at").toInstant());
    }
}
