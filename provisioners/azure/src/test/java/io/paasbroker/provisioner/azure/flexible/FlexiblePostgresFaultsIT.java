package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.azure.AzureLiveRun;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fault-injection suite on PostgreSQL flexible servers: the larger plan allows more extensions, which Azure must
 * have as the server's {@code azure.extensions}.
 */
class FlexiblePostgresFaultsIT extends FlexibleFaultsSuite {

    @Override
    AzureLiveRun.Maker<FlexibleServerProvisioner> engine() {
        return FlexibleServerProvisioner::postgres;
    }

    @Override
    Plan planOf(String name, Map<String, Object> overrides) {
        return FlexiblePostgresProvisionerIT.plan(name, overrides);
    }

    @Override
    Map<String, Object> largerPlansOwn() {
        return Map.of("allowed_extensions", List.of("citext", "hstore", "pgcrypto"));
    }

    @Override
    Map<String, String> parametersOf(FlexiblePlan plan) {
        return Map.of("azure.extensions", String.join(",", new TreeSet<>(plan.allowedExtensions())));
    }

    @Override
    FakeFlexibleServers servers(AzureTestBed bed) {
        return bed.flexibleServers();
    }

    @Override
    String refusedLogin() {
        return "password authentication failed";
    }

    @Override
    int callsOfALife() {
        return 15;
    }

    @Override
    int callsOfAChange() {
        return 10;
    }
}
