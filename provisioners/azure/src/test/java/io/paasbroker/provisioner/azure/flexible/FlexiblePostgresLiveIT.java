package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.provisioner.azure.AzureLiveRun;
import io.paasbroker.provisioner.azure.AzureLiveSubscription;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The live suite on PostgreSQL flexible servers: version 16, 32 GiB. */
@EnabledIfEnvironmentVariable(named = AzureLiveSubscription.SUBSCRIPTION, matches = ".+")
class FlexiblePostgresLiveIT extends FlexibleLiveSuite {

    private static final AzureLiveRun<FlexibleServerProvisioner> RUN = new AzureLiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        reap(RUN, FlexibleServerProvisioner::postgres);
    }

    @Override
    protected AzureLiveRun<FlexibleServerProvisioner> run() {
        return RUN;
    }

    @Override
    protected AzureLiveRun.Maker<FlexibleServerProvisioner> engine() {
        return FlexibleServerProvisioner::postgres;
    }

    @Override
    protected String kind() {
        return "postgresql";
    }

    @Override
    protected Map<String, Object> engineProperties() {
        return Map.of("version", "16", "storage_gb", 32);
    }
}
