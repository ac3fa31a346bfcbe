package io.paasbroker.provisioner.aws.elasticache;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.StepOutcome;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live suite's reaper, against the test bed: it deletes one run's leftovers and nothing of anyone else's. */
class CacheReaperIT {

    private static final CacheTestBed BED = new CacheTestBed();

    @AfterAll
    static void stopTestBed() {
        assertThat(BED.bed.takeViolations()).isEmpty();
        BED.close();
    }

    @Test
    @Timeout(120)
    void aRunsGroupsUsersSnapshotsAndParameterGroupsGoAndAnotherBrokersStay() {
        ElastiCacheRedisProvisioner other = BED.provisioner("pbother");
        String leftover = UUID.randomUUID().toString();
        String kept = UUID.randomUUID().toString();
        InstanceRequest left = provisioned(BED.provisioner, leftover);
        provisioned(other, kept);
        BindRequest binding = new BindRequest(left, UUID.randomUUID().toString(), Map.of());
        until(() -> BED.provisioner.startBind(binding), reference -> BED.provisioner.pollBind(binding, reference));
        BED.inspector.createSnapshot(b -> b.snapshotName("pbtest-leftover-snapshot")
                .replicationGroupId(BED.provisioner.replicationGroupId(leftover)));

        assertThat(CacheReaper.reap(BED.inspector, "pbtest"))
                .containsExactly(BED.provisioner.replicationGroupId(leftover));

        assertThat(BED.bed.elastiCache().resources())
                .isNotEmpty()
                .allSatisfy(resource -> assertThat(resource).contains("pbother-"));
        assertThat(BED.bed.elastiCache().snapshotNames()).isEmpty();
        CacheReaper.reap(BED.inspector, "pbother");
        assertThat(BED.bed.elastiCache().resources()).isEmpty();
    }

    private static InstanceRequest provisioned(ElastiCacheRedisProvisioner provisioner, String instance) {
        InstanceRequest request =
                new InstanceRequest(instance, CacheTestBed.plan("reaped", Map.of()), Map.of(), Map.of(), Map.of());
        StepOutcome outcome =
                until(() -> provisioner.provision(request), reference -> provisioner.poll(request, reference));
        return new InstanceRequest(
                instance, request.plan(), Map.of(), Map.of(), ((StepOutcome.Completed) outcome).outputs());
    }

    /** Runs a step and polls what it leaves in progress to its end. */
    private static <T> T until(Supplier<T> step, Function<String, T> poll) {
        T outcome = step.get();
        while (outcome instanceof StepOutcome.InProgress progress) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            outcome = poll.apply(progress.reference());
        }
        return outcome;
    }
}
