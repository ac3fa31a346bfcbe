package io.paasbroker.broker.state;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** A service instance as the state store holds it. */
public record InstanceRecord(
        String id,
        String serviceId,
        String planId,
        InstanceState state,
        Map<String, Object> parameters,
        Map<String, Object> context,
        String organizationGuid,
        String spaceGuid,
        String maintenanceVersion,
        Map<String, String> outputs,
        String credentialsRef,
        String platformAccount,
        Instant createdAt) {

    public enum InstanceState {
        PROVISIONING,
        PROVISIONED,
        UPDATING,
        DEPROVISIONING,
        /** Kept after a completed delete so that last_operation can answer 410 Gone. */
        DEPROVISIONED,
        FAILED;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static InstanceState of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }
    }

    public InstanceRecord withContext(Map<String, Object> newContext) {
        return new InstanceRecord(
                id,
                serviceId,
                planId,
                state,
                parameters,
                newContext,
                organizationGuid,
                spaceGuid,
                maintenanceVersion,
                outputs,
                credentialsRef,
                platformAccount,
                createdAt);
    }

    public boolean exists() {
        return state != InstanceState.DEPROVISIONED;
    }
}
