package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.StepOutcome;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live suite's reaper, against the test bed: it deletes one run's leftovers and nothing of anyone else's. */
class RdsReaperIT {

    private static final RdsTestBed BED = new RdsTestBed();

    @AfterAll
    static void stopTestBed() {
        assertThat(BED.takeViolations()).isEmpty();
        BED.close();
    }

    @Test
    @Timeout(120)
    void aRunsInstancesSnapshotsAndParameterGroupsGoAndAnotherBrokersStay() {
        RdsProvisioner other = BED.provisioner("pbother");
        String leftover = UUID.randomUUID().toString();
        String protectedLeftover = UUID.randomUUID().toString();
        String kept = UUID.randomUUID().toString();
        BED.provisioner.provision(request(leftover, Map.of()));
        BED.provisioner.provision(request(protectedLeftover, Map.of("deletion_protection", true)));
        other.provision(request(kept, Map.of()));
        awaitAvailable(leftover);
        BED.inspector.createDBSnapshot(b -> b.dbSnapshotIdentifier("pb-leftover-snapshot")
                .dbInstanceIdentifier(BED.provisioner.identifier(leftover)));

        String creating = UUID.randomUUID().toString();
        BED.provisioner.provision(request(creating, Map.of()));

        assertThat(RdsReaper.reap(BED.inspector, "pbtest"))
                .as("an instance still creating when the reaper comes is deleted once it can be")
                .containsExactlyInAnyOrder(
                        BED.provisioner.identifier(leftover),
                        BED.provisioner.identifier(protectedLeftover),
                        BED.provisioner.identifier(creating));

        assertThat(BED.rds.identifiers()).containsExactly(other.identifier(kept));
        assertThat(BED.inspector.describeDBSnapshots().dbSnapshots()).isEmpty();
        assertThat(BED.inspector.describeDBParameterGroups().dbParameterGroups())
                .allSatisfy(group -> assertThat(group.dbParameterGroupName()).startsWith("pbother-"))
                .isNotEmpty();
        RdsReaper.reap(BED.inspector, "pbother");
        assertThat(BED.rds.identifiers()).isEmpty();
    }

    private static InstanceRequest request(String instance, Map<String, Object> planProperties) {
        return new InstanceRequest(instance, RdsTestBed.plan("reaped", planProperties), Map.of(), Map.of(), Map.of());
    }

    private static void awaitAvailable(String instance) {
        StepOutcome outcome = new StepOutcome.InProgress("create", "");
        while (outcome instanceof StepOutcome.InProgress) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            outcome = BED.provisioner.poll(request(instance, Map.of()), "create");
        }
    }
}
