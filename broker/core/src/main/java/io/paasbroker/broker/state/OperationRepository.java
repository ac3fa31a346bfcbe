package io.paasbroker.broker.state;

import io.paasbroker.broker.state.OperationRecord.OperationState;
import io.paasbroker.broker.state.OperationRecord.OperationType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Operations and their leases. A replica runs an operation only while it holds the lease; a lease that runs out
 * (its replica died) lets any replica claim the operation again. Who asked for what, when, and how it ended goes to
 * {@code audit_events}: one row when an operation is accepted and one when it ends, each written by the same
 * statement as the operation's change (one round trip, and never one without the other).
 */
@Repository
public class OperationRepository {

    /** Adds the audit event of the operation that a statement's {@code operation} CTE returns (AUDITED columns). */
    private static final String AUDIT = " INSERT INTO audit_events (event, action, instance_id, binding_id,"
            + " operation_id, platform, originating_identity, request_identity, description)"
            + " SELECT ?, type, instance_id, binding_id, id, platform, originating_identity, ?, ? FROM operation";

    private static final String AUDITED =
            " RETURNING id, instance_id, binding_id, type, platform, originating_identity";

    private static final String COLUMNS = "id, instance_id, binding_id, type, state, description, request,"
            + " progress_ref, platform, originating_identity, attempts, created_at, unavailable_since";

    /** How a refusal names the operation in flight: "type, id". */
    private static final String NAMED = "type || ', ' || id";

    private final JdbcClient jdbc;

    public OperationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What must hold for an operation to be recorded, checked by the statement that records it: a common table
     * expression named in {@code condition}, and what the statement answers when it does not hold.
     */
    public record Precondition(String cte, List<Object> parameters, String condition, String refusal) {

        /**
         * No operation in flight on the instance that the new one conflicts with ({@link
         * OperationRepository#conflicting}). Run after the instance row is locked, the statement sees every operation
         * committed before.
         */
        public static Precondition noConflictingOperation(String instanceId, boolean instanceLevel) {
            return new Precondition(
                    "conflict AS (" + conflicting(instanceLevel) + ")",
                    List.of(instanceId),
                    "NOT EXISTS (SELECT 1 FROM conflict)",
                    "(SELECT " + NAMED + " FROM conflict)");
        }

        /** The instance is created by the same statement: nothing is recorded when its id exists already. */
        public static Precondition created(InstanceRecord instance) {
            return new Precondition(
                    "instance AS (" + InstanceRepository.INSERT + " RETURNING id)",
                    InstanceRepository.insertParameters(instance),
                    "EXISTS (SELECT 1 FROM instance)",
                    "NULL");
        }
    }

    /** What recording came to: recorded, or not, with the conflicting operation ("type, id") if that was why. */
    public record Recording(boolean recorded, String conflictingOperation) {}

    /**
     * What a recording statement answers besides whether it recorded: the row of its precondition's CTEs named in
     * {@code ctes} (each one row when the precondition holds), read by {@code row}.
     */
    public record Answer<T>(List<String> ctes, RowMapper<T> row) {}

    /**
     * Records a new operation, its audit event "requested" and the changes of its instance or binding, in one
     * statement, when {@code precondition} holds; with a lease owner it is claimed at once (a synchronous request runs
     * it itself).
     */
    public Recording insert(
            OperationRecord operation,
            String leaseOwner,
            Duration lease,
            String requestIdentity,
            Precondition precondition,
            StateChange... changes) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = recording(operation, leaseOwner, lease, requestIdentity, precondition, parameters, changes)
                .append(" SELECT (SELECT count(*) FROM operation) AS recorded, ")
                .append(precondition.refusal())
                .append(" AS refusal");
        return jdbc.sql(sql.toString())
                .params(parameters)
                .query((row, n) -> new Recording(row.getLong("recorded") == 1, row.getString("refusal")))
                .single();
    }

    /**
     * Records like {@link #insert(OperationRecord, String, Duration, String, Precondition, StateChange...)} and, when
     * it did, answers what {@code answer} reads of the rows the precondition's CTEs saw.
     */
    public <T> Optional<T> insert(
            OperationRecord operation,
            String leaseOwner,
            Duration lease,
            String requestIdentity,
            Precondition precondition,
            Answer<T> answer,
            StateChange... changes) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = recording(operation, leaseOwner, lease, requestIdentity, precondition, parameters, changes)
                .append(" SELECT (SELECT count(*) FROM operation) AS recorded");
        answer.ctes().forEach(cte -> sql.append(", ").append(cte).append(".*"));
        sql.append(" FROM ").append(String.join(", ", answer.ctes()));
        return jdbc.sql(sql.toString())
                .params(parameters)
                .query((row, n) -> row.getLong("recorded") == 1 ? answer.row().mapRow(row, n) : null)
                .optional();
    }

    /** The statement that records an operation, up to what it answers; fills {@code parameters} in order. */
    private static StringBuilder recording(
            OperationRecord operation,
            String leaseOwner,
            Duration lease,
            String requestIdentity,
            Precondition precondition,
            List<Object> parameters,
            StateChange... changes) {
        StringBuilder sql = new StringBuilder("WITH " + precondition.cte()
                + ", operation AS (INSERT INTO operations (id, instance_id, binding_id, type, state, description,"
                + " request, platform, originating_identity, lease_owner, lease_expires_at, attempts)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() + make_interval(secs => ?) END,"
                + " CASE WHEN ? THEN 1 ELSE 0 END WHERE " + precondition.condition() + AUDITED + "), audit AS ("
                + AUDIT + ")");
        parameters.addAll(precondition.parameters());
        parameters.addAll(Arrays.asList(
                operation.id(),
                operation.instanceId(),
                operation.bindingId(),
                operation.type().column(),
                operation.state().column(),
                operation.description(),
                Json.write(operation.request()),
                operation.platform(),
                operation.originatingIdentity(),
                leaseOwner,
                leaseOwner != null,
                lease.toMillis() / 1000.0,
                leaseOwner != null,
                "requested",
                requestIdentity,
                null));
        return withChanges(sql, parameters, changes);
    }

    public Optional<OperationRecord> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM operations WHERE id = ?")
                .param(id)
                .query(OperationRepository::map)
                .optional();
    }

    /** The newest operation on the instance itself (not on one of its bindings). */
    public Optional<OperationRecord> latestOfInstance(String instanceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM operations WHERE instance_id = ? AND binding_id IS NULL"
                        + " ORDER BY created_at DESC, id LIMIT 1")
                .param(instanceId)
                .query(OperationRepository::map)
                .optional();
    }

    /** Whether a provision of the instance ever succeeded: whether it ever held anything. */
    public boolean everProvisioned(String instanceId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM operations WHERE instance_id = ? AND binding_id IS NULL"
                        + " AND type = 'provision' AND state = 'succeeded')")
                .param(instanceId)
                .query(Boolean.class)
                .single();
    }

    public Optional<OperationRecord> latestOfBinding(String bindingId) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM operations WHERE binding_id = ? ORDER BY created_at DESC, id LIMIT 1")
                .param(bindingId)
                .query(OperationRepository::map)
                .optional();
    }

    /**
     * The operation in flight that a new change of the instance conflicts with ("type, id"), if any: see {@link
     * Precondition#noConflictingOperation}, which checks the same inside the statement that records an operation.
     */
    public Optional<String> conflictingOperation(String instanceId, boolean instanceLevel) {
        return jdbc.sql("SELECT " + NAMED + " FROM (" + conflicting(instanceLevel) + ") conflict")
                .param(instanceId)
                .query(String.class)
                .optional();
    }

    /**
     * The oldest operation in flight that a new change conflicts with: any, for a change of the instance; one of the
     * instance itself, for a change of one of its bindings (bindings of one instance change side by side).
     */
    private static String conflicting(boolean instanceLevel) {
        return "SELECT id, type FROM operations WHERE instance_id = ? AND state = 'in progress'"
                + (instanceLevel ? "" : " AND binding_id IS NULL") + " ORDER BY created_at LIMIT 1";
    }

    /**
     * Claims up to {@code limit} due operations that no live replica holds, for {@code lease}. SKIP LOCKED lets
     * replicas claim side by side without waiting for each other.
     */
    public List<OperationRecord> claimDue(String owner, Duration lease, int limit) {
        return jdbc.sql("UPDATE operations SET lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?),"
                        + " attempts = attempts + 1, version = version + 1"
                        + " WHERE id IN (SELECT id FROM operations WHERE state = 'in progress' AND next_attempt_at <= now()"
                        + " AND (lease_expires_at IS NULL OR lease_expires_at < now())"
                        + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                        + " RETURNING " + COLUMNS)
                .params(owner, lease.toMillis() / 1000.0, limit)
                .query(OperationRepository::map)
                .list();
    }

    /** Extends the leases this replica holds; returns the ids of those it still held. */
    public List<String> renewLeases(String owner, Collection<String> ids, Duration lease) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("UPDATE operations SET lease_expires_at = now() + make_interval(secs => :lease)"
                        + " WHERE lease_owner = :owner AND state = 'in progress' AND id IN (:ids) RETURNING id")
                .param("lease", lease.toMillis() / 1000.0)
                .param("owner", owner)
                .param("ids", ids)
                .query(String.class)
                .list();
    }

    /**
     * Ends the operation, with its audit event (its end state) and the changes of its instance or binding, if this
     * replica still holds its lease: one statement, so all of it or none, in one round trip. Returns false when this
     * replica does not hold the lease (nothing changes): another replica took the operation over, and this one must
     * leave the outcome to it.
     */
    public boolean finish(String id, String owner, OperationState state, String description, StateChange... changes) {
        StringBuilder sql = new StringBuilder("WITH operation AS (UPDATE operations SET state = ?, description = ?,"
                + " finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, version = version + 1"
                + " WHERE id = ? AND lease_owner = ? AND state = 'in progress'" + AUDITED + "), audit AS (" + AUDIT
                + ")");
        List<Object> parameters = new ArrayList<>(
                Arrays.asList(state.column(), description, id, owner, state.column(), null, description));
        return jdbc.sql(withChanges(sql, parameters, changes)
                                .append(" SELECT count(*) FROM operation")
                                .toString())
                        .params(parameters)
                        .query(Long.class)
                        .single()
                == 1;
    }

    /**
     * Adds to a statement whose CTE {@code operation} writes an operation the changes that run with it, only when
     * that operation row was written; the caller ends the statement with what it answers.
     */
    private static StringBuilder withChanges(StringBuilder sql, List<Object> parameters, StateChange... changes) {
        for (int i = 0; i < changes.length; i++) {
            sql.append(", change")
                    .append(i)
                    .append(" AS (")
                    .append(changes[i].guardedBy("EXISTS (SELECT 1 FROM operation)"))
                    .append(")");
            parameters.addAll(changes[i].parameters());
        }
        return sql;
    }

    /**
     * Gives the lease back and asks for another attempt after {@code delay}: the step went on (or waits for something
     * other than the backing service), so the backing service is not counted unavailable.
     */
    public boolean reschedule(String id, String owner, Duration delay, String description, String progressRef) {
        return reschedule(id, owner, delay, description, progressRef, "NULL");
    }

    /**
     * Gives the lease back and asks for another attempt after {@code delay}, the backing service unavailable since
     * the first of the unanswered attempts in a row.
     */
    public boolean rescheduleUnavailable(String id, String owner, Duration delay, String description) {
        return reschedule(id, owner, delay, description, null, "COALESCE(unavailable_since, now())");
    }

    private boolean reschedule(
            String id, String owner, Duration delay, String description, String progressRef, String unavailableSince) {
        return jdbc.sql("UPDATE operations SET next_attempt_at = now() + make_interval(secs => ?), description = ?,"
                                + " progress_ref = COALESCE(?, progress_ref), unavailable_since = " + unavailableSince
                                + ", lease_owner = NULL, lease_expires_at = NULL, version = version + 1"
                                + " WHERE id = ? AND lease_owner = ? AND state = 'in progress'")
                        .params(delay.toMillis() / 1000.0, description, progressRef, id, owner)
                        .update()
                == 1;
    }

    private static OperationRecord map(ResultSet row, int n) throws SQLException {
        return new OperationRecord(
                row.getString("id"),
                row.getString("instance_id"),
                row.getString("binding_id"),
                OperationType.of(row.getString("type")),
                OperationState.of(row.getString("state")),
                row.getString("description"),
                Json.read(row.getString("request")),
                row.getString("progress_ref"),
                row.getString("platform"),
                row.getString("originating_identity"),
                row.getInt("attempts"),
                row.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(row.getTimestamp("unavailable_since"))
                        .map(Timestamp::toInstant)
                        .orElse(null));
    }
}
