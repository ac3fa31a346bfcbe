package io.paasbroker.provisioner.azure.blob;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.Sweeper;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.arm.ArmRefusal;
import java.util.List;

/**
 * Deletes what one run of a live suite left in the storage account of a plan: every container named with the run's
 * prefix, swept until none is left ({@link Sweeper}); one a lease holds (a bind of the run was changing its access
 * policies) is deleted once the lease runs out. A live run names its containers with a prefix of its own, so the
 * reaper touches nothing else.
 */
final class ContainerReaper {

    private ContainerReaper() {}

    /** Deletes the run's containers (with their blobs); answers the names of those it found. */
    static List<String> reap(AzureClients clients, Plan plan, String prefix) {
        BlobPlan blobPlan = BlobContainerProvisioner.plan(plan);
        String containers = blobPlan.accountId() + "/blobServices/default/containers";
        List<String> found = names(clients, containers, prefix);
        Sweeper.sweep(
                () -> names(clients, containers, prefix),
                name -> clients.arm()
                        .delete(blobPlan.containerId(name), StorageAccounts.API_VERSION, "reaping " + name),
                e -> e instanceof BackingServiceUnavailableException
                        || (e instanceof ArmRefusal refusal && refusal.is(409)));
        return found;
    }

    private static List<String> names(AzureClients clients, String containers, String prefix) {
        return clients.arm().list(containers, StorageAccounts.API_VERSION, "listing " + containers).stream()
                .map(container -> container.path("name").asText())
                .filter(name -> name.startsWith(prefix + "-"))
                .toList();
    }
}
