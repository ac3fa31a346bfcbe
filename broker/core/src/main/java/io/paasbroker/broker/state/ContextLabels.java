package io.paasbroker.broker.state;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels a provisioner puts on what it creates, from the platform's context: Cloud Foundry's organization and
 * space, Kubernetes' namespace and cluster.
 */
public final class ContextLabels {

    private static final List<String> KEYS = List.of(
            "platform",
            "organization_guid",
            "organization_name",
            "space_guid",
            "space_name",
            "instance_name",
            "namespace",
            "clusterid");

    private ContextLabels() {}

    public static Map<String, String> of(Map<String, Object> context) {
        Map<String, String> labels = new TreeMap<>();
        for (String key : KEYS) {
            Object value = context.get(key);
            if (value instanceof String text && !text.isBlank()) {
                labels.put(key, text);
            }
        }
        return labels;
    }
}
