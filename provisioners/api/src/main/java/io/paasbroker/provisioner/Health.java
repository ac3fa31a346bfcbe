package io.paasbroker.provisioner;

import java.util.Map;

/**
 * Whether each resource a provisioner depends on answered, by a name of the provisioner's choosing: a shared server
 * (local), a region or account (a cloud's), with a short reason where it did not.
 */
public record Health(Map<String, String> problemsByResource, Map<String, String> resourcesUp) {

    public boolean isUp() {
        return problemsByResource.isEmpty();
    }
}
