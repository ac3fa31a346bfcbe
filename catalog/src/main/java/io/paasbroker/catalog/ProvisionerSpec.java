package io.paasbroker.catalog;

import java.util.Map;

/**
 * Which provisioner serves a plan, and that provisioner's typed properties for it (kept raw here; each provisioner
 * reads them into its own record and rejects what it does not know).
 */
public record ProvisionerSpec(String name, Map<String, Object> properties) {
    public ProvisionerSpec {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
