package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.JdbcTenantSession;
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
 * The provisioner contract against a real Azure subscription's PostgreSQL flexible servers: runs only when
 * {@code PAASBROKER_AZURE_LIVE_SUBSCRIPTION_ID} names a subscription (see {@link AzureLiveSubscription}), and is
 * reported as skipped, never as passed, otherwise. Its servers are Burstable B1ms ones, named and tagged with a prefix
 * of this run's own, and admit this machine's public address; the reaper deletes whatever the run left, whatever
 * happened. It makes real servers: a run takes the better part of an hour, and costs what they cost.
 */
@EnabledIfEnvironmentVariable(named = AzureLiveSubscription.SUBSCRIPTION, matches = ".+")
class FlexibleLiveIT extends ServiceProvisionerContract {

    private static final AzureLiveRun<FlexibleServerProvisioner> RUN = new AzureLiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) -> FlexibleReaper.reap(
                FlexibleServerProvisioner.postgres(clients, null, prefix),
                AzureLiveSubscription.subscriptionId(),
                AzureLiveSubscription.resourceGroup()));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private FlexibleServerProvisioner live() {
        return RUN.provisioner(FlexibleServerProvisioner::postgres, plan());
    }

    @Override
    protected Plan plan() {
        return AzureLiveSubscription.plan(
                "postgresql",
                "live",
                Map.of(
                        "location",
                        AzureLiveSubscription.location(),
                        "version",
                        "16",
                        "sku_name",
                        "Standard_B1ms",
                        "sku_tier",
                        "Burstable",
                        "storage_gb",
                        32,
                        "firewall_rules",
                        List.of(Map.of(
                                "name",
                                "broker",
                                "start_ip",
                                AzureLiveSubscription.clientAddress(),
                                "end_ip",
                                AzureLiveSubscription.clientAddress()))));
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return JdbcTenantSession.open(credentials);
    }

    /** A flexible server takes minutes to make, and a point-in-time copy longer. */
    @Override
    protected Duration stepTimeout() {
        return Duration.ofMinutes(40);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofSeconds(15);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>();
        String server = live().server(instanceId);
        live().arm()
                .find(
                        "/subscriptions/" + AzureLiveSubscription.subscriptionId() + "/resourceGroups/"
                                + AzureLiveSubscription.resourceGroup() + "/providers/"
                                + live().engine().resourceType() + "/" + server,
                        live().engine().apiVersion(),
                        "reading " + server)
                .ifPresent(found -> left.add("server:" + server));
        left.addAll(RUN.secretsOf(instanceId));
        return left;
    }
}
