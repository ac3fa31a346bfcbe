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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provisioner contract against a real Azure subscription's flexible servers of one engine, for suites that run only
 * when {@code PAASBROKER_AZURE_LIVE_SUBSCRIPTION_ID} names a subscription (see {@link AzureLiveSubscription}) and are
 * reported as skipped, never as passed, otherwise. Its servers are Burstable B1ms ones, named and tagged with a prefix
 * of the run's own, and admit this machine's public address; the reaper deletes whatever the run left, whatever
 * happened. It makes real servers: a run takes the better part of an hour, and costs what they cost.
 */
abstract class FlexibleLiveSuite extends ServiceProvisionerContract {

    /** The run of the concrete suite, its provisioner made of the engine's factory. */
    protected abstract AzureLiveRun<FlexibleServerProvisioner> run();

    protected abstract AzureLiveRun.Maker<FlexibleServerProvisioner> engine();

    /** The engine's own plan properties: its version and storage. */
    protected abstract Map<String, Object> engineProperties();

    /** The service kind's key: {@code postgresql}, {@code mysql}. */
    protected abstract String kind();

    /** Ends the run of a concrete suite, reaping what it left. */
    static void reap(
            AzureLiveRun<FlexibleServerProvisioner> run, AzureLiveRun.Maker<FlexibleServerProvisioner> engine) {
        run.end((clients, prefix) -> FlexibleReaper.reap(
                engine.make(clients, null, prefix),
                AzureLiveSubscription.subscriptionId(),
                AzureLiveSubscription.resourceGroup()));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private FlexibleServerProvisioner live() {
        return run().provisioner(engine(), plan());
    }

    @Override
    protected Plan plan() {
        Map<String, Object> properties = new LinkedHashMap<>(engineProperties());
        properties.put("location", AzureLiveSubscription.location());
        properties.put("sku_name", "Standard_B1ms");
        properties.put("sku_tier", "Burstable");
        properties.put(
                "firewall_rules",
                List.of(Map.of(
                        "name",
                        "broker",
                        "start_ip",
                        AzureLiveSubscription.clientAddress(),
                        "end_ip",
                        AzureLiveSubscription.clientAddress())));
        return AzureLiveSubscription.plan(kind(), "live", properties);
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
        left.addAll(run().secretsOf(instanceId));
        return left;
    }
}
