package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.azure.ArmFaultLane;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The live suite's reaper, against the test bed: it deletes one run's servers and nothing of anyone else's. */
class FlexibleReaperIT {

    @TempDir
    Path work;

    @Test
    @Timeout(180)
    void aRunsServersGoEvenOneStillBeingMadeAndAnotherBrokersStay() {
        try (AzureTestBed bed = new AzureTestBed(work)) {
            MasterPasswords admins = new MasterPasswords(new MapSecretStore(new ConcurrentHashMap<>()));
            FlexibleServerProvisioner run =
                    FlexibleServerProvisioner.postgres(AzureTestBedClients.of(bed), admins, "pb");
            FlexibleServerProvisioner other =
                    FlexibleServerProvisioner.postgres(AzureTestBedClients.of(bed), admins, "pbother");
            run.checkPlan(FlexiblePostgresProvisionerIT.plan("reaped", Map.of()));
            other.checkPlan(FlexiblePostgresProvisionerIT.plan("reaped", Map.of()));
            InstanceRequest leftover = request();
            InstanceRequest creating = request();
            InstanceRequest kept = request();
            StepRunner steps = new StepRunner(ArmFaultLane::pass);
            steps.toEnd(() -> run.provision(leftover), reference -> run.poll(leftover, reference));
            run.provision(creating);
            steps.toEnd(() -> other.provision(kept), reference -> other.poll(kept, reference));

            assertThat(FlexibleReaper.reap(run, AzureTestBed.SUBSCRIPTION_ID, AzureTestBed.RESOURCE_GROUP))
                    .as("a server still being made when the reaper comes is deleted once it can be")
                    .containsExactlyInAnyOrder(run.server(leftover.instanceId()), run.server(creating.instanceId()));

            assertThat(bed.flexibleServers().servers()).containsExactly(other.server(kept.instanceId()));
            assertThat(bed.takeViolations()).isEmpty();
        }
    }

    private static InstanceRequest request() {
        return new InstanceRequest(
                UUID.randomUUID().toString(),
                FlexiblePostgresProvisionerIT.plan("reaped", Map.of()),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of());
    }
}
