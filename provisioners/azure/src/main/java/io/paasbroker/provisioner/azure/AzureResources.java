package io.paasbroker.provisioner.azure;

import io.paasbroker.provisioner.ResourceNames;

/**
 * Names and ids of the Azure resources of an instance, from its OSB id: lowercase letters, digits and hyphens, a
 * letter first, under the broker's prefix so one resource group can hold several brokers' instances. Server names
 * are global in Azure (they make the host name), so each carries a hash of the instance's id.
 */
public final class AzureResources {

    private AzureResources() {}

    /** A server's (or cache's) name: {@code <prefix>-<24 hex digits>}. */
    public static String name(String prefix, String instanceId) {
        return prefix + "-" + ResourceNames.hash(instanceId, 24);
    }

    /** The id of resource {@code name} of {@code type} ({@code Microsoft.DBforPostgreSQL/flexibleServers}). */
    public static String id(String subscriptionId, String resourceGroup, String type, String name) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + type + "/"
                + name;
    }
}
