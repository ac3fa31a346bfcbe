package io.paasbroker.provisioner.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.fake.FakeOpenSearch;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.aws.TestBedAccount;
import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.CallFaults.Fault;
import io.paasbroker.testbed.ManualClock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenSearch Service failing any one call of its configuration API in a domain's life (made, grown, deleted; binds and
 * the roles go to the domain's own API, which is not faulted), and S3 any one call of a snapshot's deletion: each call in turn is refused, throttled or carried out
 * with its answer lost, as many times as the SDK tries. Run again, as the
 * broker does, every step converges: the binding works, and at the end no domain and no master password is left. The
 * fake's clock moves only when a step waits, and each poll waits for the fake's nodes to have started, so every run
 * makes the same calls in the same order.
 */
class OpenSearchFaultsIT {

    /** As many as the SDK's standard retry mode attempts (three in all), so the step itself sees the fault. */
    private static final int FAULTS_IN_A_ROW = 3;

    private static final ManualClock CLOCK = new ManualClock();
    private static final StepRunner STEPS = new StepRunner(CLOCK::advance);
    private static final TestBedAccount ACCOUNT = new TestBedAccount(CLOCK);
    private static final FakeOpenSearch FAKE = ACCOUNT.bed.openSearch();
    private static final OpenSearchDomainProvisioner PROVISIONER =
            new OpenSearchDomainProvisioner(ACCOUNT.clients, ACCOUNT.masters(), "pbfaults");
    private static final Plan PLAN = OpenSearchContract.plan("faults", Map.of());
    private static final Plan GROWN = OpenSearchContract.plan("faults-grown", Map.of("volume_size_gib", 20));
    private static final Plan SNAPSHOTTED = OpenSearchContract.plan(
            "faults-snapshotted",
            Map.of(
                    "snapshot_bucket", AwsTestBed.SNAPSHOT_BUCKET,
                    "snapshot_role_arn", AwsTestBed.SNAPSHOT_ROLE_ARN));

    @AfterAll
    static void stopTestBed() {
        ACCOUNT.close();
    }

    @AfterEach
    void noRequestBrokeTheModel() {
        assertThat(ACCOUNT.bed.takeViolations()).isEmpty();
    }

    @Test
    void everyCallOfALifeFailingInTurnStillEndsWithNoDomainAndNoSecretLeft() {
        CallFaults faults = FAKE.faults();
        long before = faults.soFar();
        life(UUID.randomUUID().toString());
        long calls = faults.soFar() - before;
        assertThat(calls).as("calls of one domain's life").isGreaterThanOrEqualTo(5);

        for (Fault fault : Fault.values()) {
            for (long k = 1; k <= calls; k++) {
                String instance = UUID.randomUUID().toString();
                faults.fail(faults.soFar() + k, FAULTS_IN_A_ROW, fault);
                int runsBefore = STEPS.stepsRunAgain();

                life(instance);

                String scenario = fault + " of call " + k + " of " + calls;
                assertThat(FAKE.domainNames()).as(scenario).doesNotContain(PROVISIONER.domainName(instance));
                assertThat(ACCOUNT.secrets).as(scenario).doesNotContainKey(CredentialRefs.master(instance));
                if (fault != Fault.ACT_THEN_RESET) { // a call done whose answer was lost may be adopted at once
                    assertThat(STEPS.stepsRunAgain())
                            .as(scenario + ": a step failed and ran again")
                            .isGreaterThan(runsBefore);
                }
            }
        }
    }

    @Test
    void deletingASnapshotWithEachS3CallFailingInTurnLeavesNoneOfItsObjects() {
        PROVISIONER.checkPlan(SNAPSHOTTED);
        InstanceSnapshots snapshots = PROVISIONER.snapshots(SNAPSHOTTED).orElseThrow();
        String instance = UUID.randomUUID().toString();
        InstanceRequest created = run(
                request(instance, SNAPSHOTTED, Map.of()),
                () -> PROVISIONER.provision(request(instance, SNAPSHOTTED, Map.of())));
        Credentials credentials = STEPS.again(() ->
                PROVISIONER.bind(new BindRequest(created, UUID.randomUUID().toString(), Map.of())));
        new DomainSession(credentials)
                .expect("PUT", "/" + credentials.values().get("index_prefix") + "written/_doc/1", "{\"v\":1}");
        CallFaults faults = ACCOUNT.bed.s3().faults();
        long before = faults.soFar();
        deleted(snapshots, taken(snapshots, created));
        long calls = faults.soFar() - before;
        assertThat(calls).as("S3 calls of a deletion").isGreaterThanOrEqualTo(2);

        for (Fault fault : Fault.values()) {
            for (long k = 1; k <= calls; k++) {
                String snapshot = taken(snapshots, created);
                faults.fail(faults.soFar() + k, FAULTS_IN_A_ROW, fault);

                deleted(snapshots, snapshot);

                assertThat(ACCOUNT.bed
                                .s3()
                                .client(ACCOUNT.bed.accessKey())
                                .listObjectsV2(b ->
                                        b.bucket(AwsTestBed.SNAPSHOT_BUCKET).prefix("pbfaults/" + snapshot + "/"))
                                .contents())
                        .as(fault + " of call " + k + " of " + calls)
                        .isEmpty();
            }
        }
        run(created, () -> PROVISIONER.deprovision(created));
    }

    private static String taken(InstanceSnapshots snapshots, InstanceRequest instance) {
        String snapshot = "pb-" + ResourceNames.hash(UUID.randomUUID().toString(), 24);
        STEPS.toEnd(
                () -> snapshots.startSnapshot(instance, snapshot),
                reference -> snapshots.pollSnapshot(instance, reference));
        return snapshot;
    }

    private static void deleted(InstanceSnapshots snapshots, String snapshot) {
        STEPS.again(() -> {
            snapshots.deleteSnapshot(snapshot);
            return null;
        });
    }

    /** Provision, bind and write, grow the volumes, unbind, deprovision; each step run again while it fails. */
    private static void life(String instance) {
        InstanceRequest created =
                run(request(instance, PLAN, Map.of()), () -> PROVISIONER.provision(request(instance, PLAN, Map.of())));
        BindRequest binding = new BindRequest(created, UUID.randomUUID().toString(), Map.of());
        Credentials credentials = STEPS.again(() -> PROVISIONER.bind(binding));
        new DomainSession(credentials)
                .expect("PUT", "/" + credentials.values().get("index_prefix") + "written/_doc/1", "{\"v\":1}");
        InstanceRequest grown = request(instance, GROWN, created.outputs());
        run(grown, () -> PROVISIONER.update(new UpdateRequest(grown, PLAN, Map.of())));
        STEPS.again(() -> {
            PROVISIONER.unbind(binding);
            return null;
        });
        run(grown, () -> PROVISIONER.deprovision(grown));
    }

    /**
     * Runs a step and polls what it leaves in progress to its end, each poll once the fake's nodes are up; answers the
     * instance with the step's outputs.
     */
    private static InstanceRequest run(InstanceRequest request, Supplier<StepOutcome> step) {
        StepOutcome outcome = STEPS.toEnd(step, reference -> {
            FAKE.awaitNodes();
            return PROVISIONER.poll(request, reference);
        });
        Map<String, String> outputs = new HashMap<>(request.outputs());
        outputs.putAll(((StepOutcome.Completed) outcome).outputs());
        return request(request.instanceId(), request.plan(), outputs);
    }

    private static InstanceRequest request(String instance, Plan plan, Map<String, String> outputs) {
        return new InstanceRequest(instance, plan, Map.of(), Map.of("organization_guid", "org-faults"), outputs);
    }
}
