package io.paasbroker.broker.state;

import io.paasbroker.broker.state.BindingRecord.BindingState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class BindingRepository {

    private static final String COLUMNS =
            "id, instance_id, service_id, plan_id, state, parameters, context, bind_resource, credentials_ref";

    private final JdbcClient jdbc;

    public BindingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<BindingRecord> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM service_bindings WHERE id = ?")
                .param(id)
                .query(BindingRepository::map)
                .optional();
    }

    /** The ids of every binding the instance ever had, tombstones included. */
    public List<String> idsOfInstance(String instanceId) {
        return jdbc.sql("SELECT id FROM service_bindings WHERE instance_id = ?")
                .param(instanceId)
                .query(String.class)
                .list();
    }

    /** Marks every binding of the instance that still exists unbound (the instance is gone). */
    public StateChange unbindingAllOf(String instanceId) {
        return new StateChange(
                "UPDATE service_bindings SET state = ?, credentials_ref = NULL, updated_at = now(),"
                        + " version = version + 1 WHERE instance_id = ? AND state <> ?",
                BindingState.UNBOUND.column(),
                instanceId,
                BindingState.UNBOUND.column());
    }

    /** Inserts the binding, or overwrites a tombstone with the same id. */
    public StateChange saving(BindingRecord binding) {
        return new StateChange(
                "INSERT INTO service_bindings (" + COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE TRUE",
                " ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id,"
                        + " service_id = excluded.service_id, plan_id = excluded.plan_id, state = excluded.state,"
                        + " parameters = excluded.parameters, context = excluded.context,"
                        + " bind_resource = excluded.bind_resource, credentials_ref = excluded.credentials_ref,"
                        + " updated_at = now(), version = service_bindings.version + 1",
                Arrays.asList(
                        binding.id(),
                        binding.instanceId(),
                        binding.serviceId(),
                        binding.planId(),
                        binding.state().column(),
                        Json.write(binding.parameters()),
                        Json.write(binding.context()),
                        Json.write(binding.bindResource()),
                        binding.credentialsRef()));
    }

    public StateChange stateChange(String id, BindingState state, String credentialsRef) {
        return new StateChange(
                "UPDATE service_bindings SET state = ?, credentials_ref = ?, updated_at = now(),"
                        + " version = version + 1 WHERE id = ?",
                state.column(),
                credentialsRef,
                id);
    }

    private static BindingRecord map(ResultSet row, int n) throws SQLException {
        return new BindingRecord(
                row.getString("id"),
                row.getString("instance_id"),
                row.getString("service_id"),
                row.getString("plan_id"),
                BindingState.of(row.getString("state")),
                Json.read(row.getString("parameters")),
                Json.read(row.getString("context")),
                Json.read(row.getString("bind_resource")),
                row.getString("credentials_ref"));
    }
}
