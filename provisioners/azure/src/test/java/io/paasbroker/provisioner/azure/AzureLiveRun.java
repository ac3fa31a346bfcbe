package io.paasbroker.provisioner.azure;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One run of a live suite in the real subscription ({@link AzureLiveSubscription}): a prefix of its own that every
 * resource it makes is named and tagged with, the provisioner under test made at first use (a skipped suite makes
 * none), a credential store of its own, and whatever the run left reaped when it ends.
 */
public final class AzureLiveRun<P extends ServiceProvisioner> {

    /** Makes the provisioner under test of the subscription's clients, a credential store, and the run's prefix. */
    @FunctionalInterface
    public interface Maker<P> {
        P make(AzureClients clients, MasterPasswords admins, String prefix);
    }

    private final String prefix =
            "pblive" + ResourceNames.hash(UUID.randomUUID().toString(), 6);
    private final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();
    private AzureClients clients;
    private P provisioner;

    public String prefix() {
        return prefix;
    }

    /** The provisioner under test, made by {@code maker} at first use and checked against {@code plan}. */
    public synchronized P provisioner(Maker<P> maker, Plan plan) {
        if (provisioner == null) {
            clients = AzureLiveSubscription.clients();
            provisioner = maker.make(clients, new MasterPasswords(new MapSecretStore(secrets)), prefix);
            provisioner.checkPlan(plan);
        }
        return provisioner;
    }

    public synchronized AzureClients clients() {
        return clients;
    }

    /** The references of what the credential store still keeps of {@code instanceId}. */
    public List<String> secretsOf(String instanceId) {
        return secrets.keySet().stream().filter(ref -> ref.endsWith(instanceId)).toList();
    }

    /** Ends the run: {@code reaper} deletes what it left (given the clients and the prefix). */
    public synchronized void end(BiConsumer<AzureClients, String> reaper) {
        if (clients != null) {
            try {
                reaper.accept(clients, prefix);
            } finally {
                clients = null;
                provisioner = null;
            }
        }
    }
}
