package io.paasbroker.provisioner;

import io.paasbroker.catalog.Plan;
import java.util.Map;
import java.util.TreeSet;

/**
 * An instance to provision, poll or deprovision. {@code labels} come from the platform's context (organization,
 * space, namespace, ...) for tagging what is created; {@code outputs} are what earlier steps reported; {@code secrets}
 * what earlier steps reported as secret ({@link StepOutcome.Completed#secrets}, a master password), read back from the
 * credential store for every later step.
 */
public record InstanceRequest(
        String instanceId,
        Plan plan,
        Map<String, Object> parameters,
        Map<String, String> labels,
        Map<String, String> outputs,
        Map<String, String> secrets) {

    public InstanceRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    /** An instance no step has reported secrets of. */
    public InstanceRequest(
            String instanceId,
            Plan plan,
            Map<String, Object> parameters,
            Map<String, String> labels,
            Map<String, String> outputs) {
        this(instanceId, plan, parameters, labels, outputs, Map.of());
    }

    /** Names the secrets, never their values: requests end up in logs and exceptions. */
    @Override
    public String toString() {
        return "InstanceRequest[" + instanceId + ", plan " + plan.id() + ", parameters " + parameters + ", labels "
                + labels + ", outputs " + outputs + ", secrets " + new TreeSet<>(secrets.keySet()) + "]";
    }
}
