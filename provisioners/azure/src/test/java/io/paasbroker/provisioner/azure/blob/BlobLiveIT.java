package io.paasbroker.provisioner.azure.blob;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.azure.AzureLiveRun;
import io.paasbroker.provisioner.azure.AzureLiveSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The provisioner contract against a real Azure subscription's Blob Storage: runs only when
 * {@code PAASBROKER_AZURE_LIVE_SUBSCRIPTION_ID} names a subscription and {@code PAASBROKER_AZURE_LIVE_STORAGE_ACCOUNT}
 * a storage account of its resource group that is as secure as the broker requires (see {@link AzureLiveSubscription}),
 * and is reported as skipped, never as passed, otherwise. Its containers are named with a prefix of this run's own;
 * the reaper deletes whatever the run left, whatever happened.
 */
@EnabledIfEnvironmentVariable(named = AzureLiveSubscription.SUBSCRIPTION, matches = ".+")
@EnabledIfEnvironmentVariable(named = "PAASBROKER_AZURE_LIVE_STORAGE_ACCOUNT", matches = ".+")
class BlobLiveIT extends ServiceProvisionerContract {

    private static final AzureLiveRun<BlobContainerProvisioner> RUN = new AzureLiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) -> ContainerReaper.reap(clients, livePlan(), prefix));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private BlobContainerProvisioner live() {
        return RUN.provisioner(
                (clients, admins, prefix) ->
                        new BlobContainerProvisioner(clients, prefix, BlobContainerProvisioner.POLICY_PROPAGATION),
                plan());
    }

    @Override
    protected Plan plan() {
        return livePlan();
    }

    private static Plan livePlan() {
        return AzureLiveSubscription.plan(
                "blob",
                "live",
                Map.of(
                        "storage_account",
                        System.getenv("PAASBROKER_AZURE_LIVE_STORAGE_ACCOUNT"),
                        "delete_non_empty_containers",
                        true));
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new ContainerSession(credentials);
    }

    /** A stored access policy takes up to 30 s to reach all of Azure's front ends; a bind polls until it has. */
    @Override
    protected Duration stepTimeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofSeconds(2);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>();
        String container = live().container(instanceId);
        RUN.clients()
                .arm()
                .find(
                        BlobContainerProvisioner.plan(livePlan()).containerId(container),
                        StorageAccounts.API_VERSION,
                        "reading " + container)
                .ifPresent(found -> left.add("container:" + container));
        return left;
    }
}
