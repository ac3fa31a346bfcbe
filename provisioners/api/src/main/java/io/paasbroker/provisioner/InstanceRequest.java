package io.paasbroker.provisioner;

import io.paasbroker.catalog.Plan;
import java.util.Map;

/**
 * An instance to provision, poll or deprovision. {@code labels} come from the platform's context (organization,
 * space, namespace, ...) for tagging what is created; {@code outputs} are what earlier steps reported.
 */
public record InstanceRequest(
        String instanceId,
        Plan plan,
        Map<String, Object> parameters,
        Map<String, String> labels,
        Map<String, String> outputs) {

    public InstanceRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }
}
