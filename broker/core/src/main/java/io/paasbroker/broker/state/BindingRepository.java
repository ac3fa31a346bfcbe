package io.paasbroker.broker.state;

import io.paasbroker.broker.state.BindingRecord.BindingState;
import io.paasbroker.broker.state.OperationRepository.Answer;
import io.paasbroker.broker.state.OperationRepository.Precondition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class BindingRepository {

    private static final String COLUMNS =
            "id, instance_id, service_id, plan_id, state, parameters, context, bind_resource, credentials_ref";

    /** The binding's columns as a statement answers them next to its instance's, whose names they share. */
    private static final String PREFIX = "binding_";

    private static final String PREFIXED_COLUMNS = Arrays.stream(COLUMNS.split(", "))
            .map(column -> column + " AS " + PREFIX + column)
            .collect(Collectors.joining(", "));

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
                values(binding));
    }

    /**
     * For the usual bind, a new binding id on an instance provisioned with the binding's service and plan: the
     * statement that records the bind share-locks the instance ({@link InstanceRepository#PROVISIONED_SHARED}) and
     * inserts the binding. Nothing is recorded when the id is taken, by a tombstone too, or the instance is in any
     * other state: the caller then looks closer under the instance's exclusive lock.
     */
    public static Precondition newBindingOfProvisioned(BindingRecord binding) {
        List<Object> parameters =
                new ArrayList<>(Arrays.asList(binding.instanceId(), binding.serviceId(), binding.planId()));
        parameters.addAll(values(binding));
        return new Precondition(
                InstanceRepository.PROVISIONED_SHARED + ", binding AS (INSERT INTO service_bindings (" + COLUMNS
                        + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM instance ON CONFLICT (id) DO NOTHING RETURNING id)",
                parameters,
                "EXISTS (SELECT 1 FROM binding)",
                "NULL");
    }

    /**
     * For the usual unbind, of a bound binding of an instance provisioned with the service and plan given: the
     * statement that records the unbind share-locks the instance and marks the binding unbinding. Nothing is recorded
     * when the binding is in any other state (PostgreSQL checks it again once a concurrent change is done), or the
     * instance is: the caller then looks closer under the instance's exclusive lock.
     */
    public static Precondition boundBindingOfProvisioned(
            String instanceId, String serviceId, String planId, String bindingId) {
        return new Precondition(
                InstanceRepository.PROVISIONED_SHARED + ", binding AS (UPDATE service_bindings SET state = '"
                        + BindingState.UNBINDING.column() + "', updated_at = now(), version = version + 1"
                        + " WHERE id = ? AND instance_id = ? AND state = '" + BindingState.BOUND.column()
                        + "' AND EXISTS (SELECT 1 FROM instance) RETURNING " + PREFIXED_COLUMNS + ")",
                Arrays.asList(instanceId, serviceId, planId, bindingId, instanceId),
                "EXISTS (SELECT 1 FROM binding)",
                "NULL");
    }

    /** A binding and its instance as the statement that recorded a change of the binding read and left them. */
    public record OfInstance(InstanceRecord instance, BindingRecord binding) {}

    /** What {@link #boundBindingOfProvisioned} reads. */
    public static final Answer<OfInstance> BINDING_OF_INSTANCE = new Answer<>(
            List.of("instance", "binding"),
            (row, n) -> new OfInstance(InstanceRepository.map(row, n), map(row, PREFIX)));

    private static List<Object> values(BindingRecord binding) {
        return Arrays.asList(
                binding.id(),
                binding.instanceId(),
                binding.serviceId(),
                binding.planId(),
                binding.state().column(),
                Json.write(binding.parameters()),
                Json.write(binding.context()),
                Json.write(binding.bindResource()),
                binding.credentialsRef());
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
        return map(row, "");
    }

    /** Reads a binding from columns named with {@code prefix} before each of {@link #COLUMNS}. */
    private static BindingRecord map(ResultSet row, String prefix) throws SQLException {
        return new BindingRecord(
                row.getString(prefix + "id"),
                row.getString(prefix + "instance_id"),
                row.getString(prefix + "service_id"),
                row.getString(prefix + "plan_id"),
                BindingState.of(row.getString(prefix + "state")),
                Json.read(row.getString(prefix + "parameters")),
                Json.read(row.getString(prefix + "context")),
                Json.read(row.getString(prefix + "bind_resource")),
                row.getString(prefix + "credentials_ref"));
    }
}
