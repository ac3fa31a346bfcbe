package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.provisioner.azure.AzureLiveRun;
import io.paasbroker.provisioner.azure.AzureLiveSubscription;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The live suite on MySQL flexible servers: version 8.0.21, 20 GiB. */
@EnabledIfEnvironmentVariable(named = AzureLiveSubscription.SUBSCRIPTION, matches = ".+")
class FlexibleMysqlLiveIT extends FlexibleLiveSuite {

    private static final AzureLiveRun<FlexibleServerProvisioner> RUN = new AzureLiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        reap(RUN, FlexibleServerProvisioner::mysql);
    }

    @Override
    protected AzureLiveRun<FlexibleServerProvisioner> run() {
        return RUN;
    }

    @Override
    protected AzureLiveRun.Maker<FlexibleServerProvisioner> engine() {
        return FlexibleServerProvisioner::mysql;
    }

    @Override
    protected String kind() {
        return "mysql";
    }

    @Override
    protected Map<String, Object> engineProperties() {
        return Map.of("version", "8.0.21", "storage_gb", 20);
    }
}
