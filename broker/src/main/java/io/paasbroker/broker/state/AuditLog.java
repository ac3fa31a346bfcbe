package io.paasbroker.broker.state;

import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Who asked for what, when, and how it ended: one row when an operation is accepted and one when it ends. */
@Repository
public class AuditLog {

    public enum Event {
        REQUESTED,
        SUCCEEDED,
        FAILED
    }

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Event event, OperationRecord operation, String requestIdentity, String description) {
        jdbc.sql("INSERT INTO audit_events (event, action, instance_id, binding_id, operation_id, platform,"
                        + " originating_identity, request_identity, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        event.name().toLowerCase(Locale.ROOT),
                        operation.type().column(),
                        operation.instanceId(),
                        operation.bindingId(),
                        operation.id(),
                        operation.platform(),
                        operation.originatingIdentity(),
                        requestIdentity,
                        description)
                .update();
    }
}
