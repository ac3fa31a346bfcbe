package io.paasbroker.provisioner.azure.redis;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.Sweeper;
import io.paasbroker.provisioner.azure.AzureClients;
import java.util.List;

/**
 * Deletes what one run of a live suite left in a resource group: every Azure Managed Redis cache tagged
 * {@code paasbroker:broker} with the run's prefix, swept until none is left ({@link Sweeper}); one Azure is busy with
 * is deleted once it can be, one it is deleting already is waited for. Azure deletes a cache's assignments with it.
 */
final class CacheReaper {

    private CacheReaper() {}

    /** Deletes the run's caches; answers the names of those it found. */
    static List<String> reap(AzureClients clients, String subscriptionId, String resourceGroup, String prefix) {
        String caches = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/"
                + ManagedRedisPlan.TYPE;
        List<String> found = names(clients, caches, prefix);
        Sweeper.sweep(
                () -> names(clients, caches, prefix),
                name -> {
                    String id = caches + "/" + name;
                    boolean deleting = clients.arm()
                            .find(id, ManagedRedisProvisioner.API_VERSION, "reading " + name)
                            .map(cache -> cache.property("provisioningState").orElse(""))
                            .map(state -> state.equals("Deleting"))
                            .orElse(true);
                    if (!deleting) {
                        clients.arm().delete(id, ManagedRedisProvisioner.API_VERSION, "reaping " + name);
                    }
                },
                e -> e instanceof BackingServiceUnavailableException
                        || (e instanceof io.paasbroker.provisioner.azure.arm.ArmRefusal refusal && refusal.is(409)));
        return found;
    }

    private static List<String> names(AzureClients clients, String caches, String prefix) {
        return clients.arm().list(caches, ManagedRedisProvisioner.API_VERSION, "listing " + caches).stream()
                .filter(cache -> prefix.equals(
                        cache.path("tags").path(ResourceTags.BROKER).asText()))
                .map(cache -> cache.path("name").asText())
                .toList();
    }
}
