package io.paasbroker.provisioner.aws.elasticache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.paasbroker.aws.testbed.fake.FakeElastiCache;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.testbed.CallFaults.Fault;
import io.paasbroker.testbed.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ElastiCache failing any one call of an instance's life (made, bound, used, resized, snapshotted, unbound, deleted):
 * each call in turn, from the first to the last, is refused, throttled or carried out with its answer lost, more times
 * than the SDK retries. The step then fails as one worth running again, and run again, as the broker does, it
 * converges: one replication group made, no user, user group or snapshot left behind, no secret left in the credential
 * store. The fake's clock moves only when a step waits, so every run makes the same calls in the same order.
 */
class ElastiCacheFaultsIT {

    /** More than the SDK's standard retry mode attempts (three), so the step itself sees the fault. */
    private static final int FAULTS_IN_A_ROW = 3;

    private static final ManualClock CLOCK = new ManualClock();
    private static final StepRunner STEPS = new StepRunner(CLOCK::advance);
    private static final CacheTestBed BED = new CacheTestBed(CLOCK);
    private static final Plan PLAN = CacheTestBed.plan("faults", Map.of());
    /** An application's client, trusting the test bed's CA: one for every life, as clients are slow to stop. */
    private static final RedisClient CLIENT = RedisClient.create();

    private static final Plan LARGER = CacheTestBed.plan("larger", Map.of("node_type", "cache.t4g.medium"));

    @BeforeAll
    static void trustTheTestBed() {
        CLIENT.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder()
                        .trustManager(BED.bed.certificates().caFile().toFile())
                        .build())
                .build());
    }

    @AfterAll
    static void stopTestBed() {
        BED.close();
        CLIENT.shutdown();
    }

    @AfterEach
    void noRequestBrokeTheModel() {
        assertThat(BED.bed.takeViolations()).isEmpty();
    }

    @Test
    void everyCallOfALifeFailingInTurnStillEndsWithOneGroupMadeAndNothingLeft() {
        FakeElastiCache cache = BED.bed.elastiCache();
        long before = cache.faults().soFar();
        life(UUID.randomUUID().toString());
        long calls = cache.faults().soFar() - before;
        assertThat(calls).as("AWS calls of one instance's life").isGreaterThanOrEqualTo(15);

        for (Fault fault : Fault.values()) {
            for (long k = 1; k <= calls; k++) {
                String instance = UUID.randomUUID().toString();
                cache.faults().fail(cache.faults().soFar() + k, FAULTS_IN_A_ROW, fault);
                int runsBefore = STEPS.stepsRunAgain();

                life(instance);

                String id = BED.provisioner.replicationGroupId(instance);
                String scenario = fault + " of call " + k + " of " + calls;
                assertThat(cache.creations(id)).as(scenario).isEqualTo(1);
                assertThat(cache.resources()).as(scenario).noneMatch(resource -> resource.contains(id));
                assertThat(cache.resources()).as(scenario).noneMatch(resource -> resource.startsWith("user pbtest-b"));
                assertThat(cache.snapshotNames()).as(scenario).isEmpty();
                assertThat(BED.secrets).as(scenario).doesNotContainKey(CredentialRefs.master(instance));
                if (fault != Fault.ACT_THEN_RESET) { // a call done whose answer was lost may be adopted at once
                    assertThat(STEPS.stepsRunAgain())
                            .as(scenario + ": a step failed and ran again")
                            .isGreaterThan(runsBefore);
                }
            }
        }
    }

    /**
     * Provision, bind, use, resize (a modification), snapshot, delete the snapshot, unbind, deprovision; each step run
     * again while it fails as one worth running again.
     */
    private static void life(String instance) {
        InstanceRequest created = run(
                request(instance, PLAN, Map.of()), () -> BED.provisioner.provision(request(instance, PLAN, Map.of())));
        BindRequest binding = new BindRequest(created, UUID.randomUUID().toString(), Map.of());
        BindOutcome bound = STEPS.toEnd(
                () -> BED.provisioner.startBind(binding), reference -> BED.provisioner.pollBind(binding, reference));
        use(((BindOutcome.Bound) bound).credentials());
        InstanceRequest larger = request(instance, LARGER, created.outputs());
        run(larger, () -> BED.provisioner.update(new UpdateRequest(larger, PLAN, Map.of())));
        InstanceSnapshots snapshots = BED.provisioner.snapshots().orElseThrow();
        String snapshot = BED.provisioner.replicationGroupId(instance) + "-s";
        STEPS.toEnd(() -> snapshots.startSnapshot(larger, snapshot), name -> snapshots.pollSnapshot(larger, name));
        CLOCK.advance(Duration.ofMinutes(1)); // the group is snapshotting a while after the snapshot is kept
        STEPS.again(() -> {
            snapshots.deleteSnapshot(snapshot);
            return null;
        });
        STEPS.toEnd(
                () -> BED.provisioner.startUnbind(binding),
                reference -> BED.provisioner.pollUnbind(binding, reference));
        run(larger, () -> BED.provisioner.deprovision(larger));
    }

    private static void use(Credentials credentials) {
        try (StatefulRedisConnection<String, String> connection = CLIENT.connect(
                RedisURI.create(String.valueOf(credentials.values().get("uri"))))) {
            connection.sync().set("written", "yes");
        }
    }

    /** Runs a step and polls what it leaves in progress to its end; answers the instance with the step's outputs. */
    private static InstanceRequest run(InstanceRequest request, Supplier<StepOutcome> step) {
        StepOutcome outcome = STEPS.toEnd(step, reference -> BED.provisioner.poll(request, reference));
        Map<String, String> outputs = new HashMap<>(request.outputs());
        outputs.putAll(((StepOutcome.Completed) outcome).outputs());
        return request(request.instanceId(), request.plan(), outputs);
    }

    private static InstanceRequest request(String instance, Plan plan, Map<String, String> outputs) {
        return new InstanceRequest(instance, plan, Map.of(), Map.of("organization_guid", "org-faults"), outputs);
    }
}
