package io.paasbroker.broker.operations;

import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.state.ContextLabels;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InstanceRequest;
import java.util.Map;

/**
 * What a provisioner is told of an instance: its plan, its parameters but the broker's own, labels, outputs and,
 * where a step is to run, the secrets earlier steps reported.
 */
public final class InstanceRequests {

    private InstanceRequests() {}

    public static InstanceRequest of(InstanceRecord instance, Plan plan, Map<String, Object> parameters) {
        return of(instance, plan, parameters, Map.of());
    }

    public static InstanceRequest of(
            InstanceRecord instance, Plan plan, Map<String, Object> parameters, Map<String, String> secrets) {
        return new InstanceRequest(
                instance.id(),
                plan,
                BackupParameters.withoutBackupParameters(parameters),
                ContextLabels.of(instance.context()),
                instance.outputs(),
                secrets);
    }
}
