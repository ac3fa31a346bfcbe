package io.paasbroker.provisioner.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.azure.arm.ArmResponse;
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
    private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9]{1,39}");
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Refuses a plan's {@code location} that names no Azure region; {@code plan} starts the message. */
    public static void checkLocation(String plan, String location) {
        if (location == null || !LOCATION.matcher(location).matches()) {
            throw new InvalidPlanException(plan + "location must be an Azure region's name (uksouth, westeurope, ...)");
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

    /** The tags of an instance's resources ({@link ResourceTags}), as Resource Manager takes them. */
    public static ObjectNode tags(InstanceRequest request, String prefix) {
        ObjectNode tags = JSON.createObjectNode();
        ResourceTags.of(request, prefix).forEach(tags::put);
        return tags;
    }

    /** Whether the resource's instance tag names the instance: a resource of its name that is another's is not. */
    public static boolean ownedBy(ArmResponse existing, String instanceId) {
        return existing.body()
                .path("tags")
                .path(ResourceTags.INSTANCE)
                .asText("")
                .equals(ResourceTags.value(instanceId));
    }

    /**
     * Refuses to adopt a resource of the instance's name that is another's ({@code what}: {@code server pb-...}): a
     * provision never takes it over, and a deprovision never deletes it.
     */
    public static void requireInstance(ArmResponse existing, String what, String instanceId) {
        if (!ownedBy(existing, instanceId)) {
            throw new ProvisioningFailedException(what + " exists and is not this instance's (its "
                    + ResourceTags.INSTANCE + " tag says otherwise): the operator must remove it");
        }
    }
}
