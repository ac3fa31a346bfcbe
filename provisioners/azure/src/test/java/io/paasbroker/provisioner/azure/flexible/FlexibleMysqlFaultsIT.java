package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.azure.AzureLiveRun;
import java.util.Map;

/**
 * The fault-injection suite on MySQL flexible servers, a MariaDB standing in for MySQL behind each: a plan sets no
 * server parameter of its own, and every server keeps requiring TLS ({@code require_secure_transport}).
 */
class FlexibleMysqlFaultsIT extends FlexibleFaultsSuite {

    @Override
    AzureLiveRun.Maker<FlexibleServerProvisioner> engine() {
        return FlexibleServerProvisioner::mysql;
    }

    @Override
    Plan planOf(String name, Map<String, Object> overrides) {
        return FlexibleMysqlProvisionerIT.plan(name, overrides);
    }

    @Override
    Map<String, Object> largerPlansOwn() {
        return Map.of();
    }

    @Override
    Map<String, String> parametersOf(FlexiblePlan plan) {
        return Map.of("require_secure_transport", "ON");
    }

    @Override
    FakeFlexibleServers servers(AzureTestBed bed) {
        return bed.mysqlFlexibleServers();
    }

    @Override
    String refusedLogin() {
        return "Access denied";
    }

    @Override
    int callsOfALife() {
        return 14;
    }

    @Override
    int callsOfAChange() {
        return 10;
    }
}
