package io.paasbroker.broker.state;

import java.util.Locale;
import java.util.Map;

/** A service binding as the state store holds it; its credentials live in the credential store under the ref. */
public record BindingRecord(
        String id,
        String instanceId,
        String serviceId,
        String planId,
        BindingState state,
        Map<String, Object> parameters,
        Map<String, Object> context,
        Map<String, Object> bindResource,
        String credentialsRef) {

    public enum BindingState {
        BINDING,
        BOUND,
        UNBINDING,
        /** Kept after a completed unbind so that last_operation can answer 410 Gone. */
        UNBOUND,
        FAILED;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static BindingState of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }
    }

    public boolean exists() {
        return state != BindingState.UNBOUND;
    }
}
