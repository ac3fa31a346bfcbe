package io.paasbroker.provisioner.azure;

import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.ResourceNames;
import java.util.regex.Pattern;

/**
 * Names and ids of the Azure resources of an instance, from its OSB id: lowercase letters, digits and hyphens, a
 * letter first, under the broker's prefix so one resource group can hold several brokers' instances. Server names
 * are global in Azure (they make the host name), so each carries a hash of the instance's id.
 */
public final class AzureResources {

    private static final Pattern SUBSCRIPTION =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");

    private AzureResources() {}

    /**
     * Refuses a plan's {@code subscription_id} and {@code resource_group} Azure would refuse; {@code plan} starts each
     * message.
     */
    public static void checkPlacement(String plan, String subscriptionId, String resourceGroup) {
        if (subscriptionId == null || !SUBSCRIPTION.matcher(subscriptionId).matches()) {
            throw new InvalidPlanException(plan + "subscription_id must be a subscription's id (a lowercase GUID)");
        }
        if (resourceGroup == null || !RESOURCE_GROUP.matcher(resourceGroup).matches()) {
            throw new InvalidPlanException(plan + "resource_group must be a resource group's name (letters, digits,"
                    + " -_.(), at most 90, no period last)");
        }
    }

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
