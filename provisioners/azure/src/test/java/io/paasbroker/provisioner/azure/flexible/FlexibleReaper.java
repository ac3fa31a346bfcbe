package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.Sweeper;
import io.paasbroker.provisioner.azure.arm.ArmRefusal;
import java.util.List;

/**
 * Deletes what one run of a live suite left in a resource group: every flexible server of the provisioner's type
 * tagged {@code paasbroker:broker} with the run's prefix, swept until none is left ({@link Sweeper}); one Azure is
 * busy with (creating, restoring) is deleted once it can be, and one it is dropping already is waited for. A live run
 * names its resources with a prefix of its own, so the reaper touches nothing else. Azure deletes a server's backups
 * with it.
 */
final class FlexibleReaper {

    private FlexibleReaper() {}

    /** Deletes the run's servers; answers the names of those it found. */
    static List<String> reap(FlexibleServerProvisioner provisioner, String subscriptionId, String resourceGroup) {
        String servers = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/"
                + provisioner.engine().resourceType();
        String apiVersion = provisioner.engine().apiVersion();
        List<String> found = names(provisioner, servers);
        Sweeper.sweep(
                () -> names(provisioner, servers),
                name -> {
                    String id = servers + "/" + name;
                    boolean dropping = provisioner
                            .arm()
                            .find(id, apiVersion, "reading " + name)
                            .map(server -> server.body()
                                    .path("properties")
                                    .path("state")
                                    .asText())
                            .map(state -> state.equals("Dropping"))
                            .orElse(true);
                    if (!dropping) {
                        provisioner.arm().delete(id, apiVersion, "reaping " + name);
                    }
                },
                e -> e instanceof BackingServiceUnavailableException
                        || (e instanceof ArmRefusal refusal && refusal.is(409)));
        return found;
    }

    private static List<String> names(FlexibleServerProvisioner provisioner, String servers) {
        return provisioner.arm().list(servers, provisioner.engine().apiVersion(), "listing " + servers).stream()
                .filter(server -> provisioner
                        .prefix()
                        .equals(server.path("tags").path(ResourceTags.BROKER).asText()))
                .map(server -> server.path("name").asText())
                .toList();
    }
}
