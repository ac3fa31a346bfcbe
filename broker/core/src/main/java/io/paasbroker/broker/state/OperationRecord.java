package io.paasbroker.broker.state;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One asynchronous or synchronous change of an instance or binding, durable from the moment it is accepted.
 *
 * @param unavailableSince since when its backing service has not answered its steps; null while it answers
 */
public record OperationRecord(
        String id,
        String instanceId,
        String bindingId,
        OperationType type,
        OperationState state,
        String description,
        Map<String, Object> request,
        String progressRef,
        String platform,
        String originatingIdentity,
        int attempts,
        Instant createdAt,
        Instant unavailableSince) {

    public enum OperationType {
        PROVISION,
        UPDATE,
        DEPROVISION,
        BIND,
        UNBIND;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static OperationType of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }

        public boolean onBinding() {
            return this == BIND || this == UNBIND;
        }
    }

    public enum OperationState {
        IN_PROGRESS("in progress"),
        SUCCEEDED("succeeded"),
        FAILED("failed");

        private final String column;

        OperationState(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        static OperationState of(String column) {
            for (OperationState state : values()) {
                if (state.column.equals(column)) {
                    return state;
                }
            }
            throw new IllegalStateException("unknown operation state " + column);
        }
    }
}
