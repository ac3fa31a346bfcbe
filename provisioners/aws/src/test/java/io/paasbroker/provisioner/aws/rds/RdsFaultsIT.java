package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.CallFaults.Fault;
import io.paasbroker.testbed.ManualClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AWS failing any one call of an instance's life (made, used, grown, snapshotted, deleted): each call in turn, from
 * the first to the last, is refused, throttled
 * or carried out with its answer lost (the connection reset), more times than the SDK retries. The step then fails
 * as one worth running again, and run again, as the broker does, it converges: one RDS instance made, none left behind,
 * no secret left in the credential store. The fake's clock moves only when a step waits, so every run makes the same
 * calls in the same order.
 */
class RdsFaultsIT {

    /** More than the SDK's standard retry mode attempts (three), so the step itself sees the fault. */
    private static final int FAULTS_IN_A_ROW = 3;

    private static final ManualClock CLOCK = new ManualClock();
    private static final StepRunner STEPS = new StepRunner(CLOCK::advance);
    private static final RdsTestBed BED = new RdsTestBed(CLOCK);
    private static final Plan PLAN = RdsTestBed.plan("faults", Map.of());
    private static final Plan GROWN = RdsTestBed.plan("grown", Map.of("allocated_storage", 40));
    private static final Plan MANAGED = RdsTestBed.plan("managed", Map.of("manage_master_user_password", true));
    private static final Plan MANAGED_GROWN =
            RdsTestBed.plan("managed-grown", Map.of("manage_master_user_password", true, "allocated_storage", 40));

    @AfterAll
    static void stopTestBed() {
        BED.close();
    }

    @AfterEach
    void noRequestBrokeTheModel() {
        assertThat(BED.takeViolations()).isEmpty();
    }

    @Test
    void everyCallOfALifeFailingInTurnStillEndsWithOneInstanceMadeAndNothingLeft() {
        everyCallFailingInTurnConverges(BED.rds.faults(), PLAN, GROWN, 5);
    }

    /** The same of the Secrets Manager calls of a life whose master password RDS manages (the broker reads it). */
    @Test
    void everySecretsManagerCallOfAManagedLifeFailingInTurnStillEndsWithNothingLeft() {
        everyCallFailingInTurnConverges(BED.account.bed.secretsManager().faults(), MANAGED, MANAGED_GROWN, 2);
        assertThat(BED.account.bed.secretsManager().secretArns())
                .as("the secrets RDS made")
                .isEmpty();
    }

    /**
     * Fails each call {@code faults} counts in an instance's life of {@code plan} (growing to {@code grown}), in turn
     * and in every way; the life has at least {@code least} of them.
     */
    private static void everyCallFailingInTurnConverges(CallFaults faults, Plan plan, Plan grown, int least) {
        long before = faults.soFar();
        life(UUID.randomUUID().toString(), plan, grown);
        long calls = faults.soFar() - before;
        assertThat(calls).as("calls of one instance's life").isGreaterThanOrEqualTo(least);

        for (Fault fault : Fault.values()) {
            for (long k = 1; k <= calls; k++) {
                String instance = UUID.randomUUID().toString();
                faults.fail(faults.soFar() + k, FAULTS_IN_A_ROW, fault);
                int runsBefore = STEPS.stepsRunAgain();

                life(instance, plan, grown);

                String identifier = BED.provisioner.identifier(instance);
                String scenario = fault + " of call " + k + " of " + calls;
                assertThat(BED.rds.creations(identifier)).as(scenario).isEqualTo(1);
                assertThat(BED.rds.identifiers()).as(scenario).doesNotContain(identifier);
                assertThat(BED.secrets).as(scenario).doesNotContainKey(CredentialRefs.master(instance));
                assertThat(BED.inspector.describeDBSnapshots().dbSnapshots())
                        .as(scenario)
                        .isEmpty();
                if (fault != Fault.ACT_THEN_RESET) { // a call done whose answer was lost may be adopted at once
                    assertThat(STEPS.stepsRunAgain())
                            .as(scenario + ": a step failed and ran again")
                            .isGreaterThan(runsBefore);
                }
            }
        }
    }

    @Test
    void throttlingTheSdkRetriesAwayIsNeverSeenByAStep() {
        String instance = UUID.randomUUID().toString();
        BED.rds.faults().fail(BED.rds.faults().soFar() + 1, FAULTS_IN_A_ROW - 1, Fault.THROTTLE);

        assertThatCode(() -> BED.provisioner.provision(request(instance, PLAN, Map.of())))
                .doesNotThrowAnyException();
        run(request(instance, PLAN, Map.of()), () -> BED.provisioner.poll(request(instance, PLAN, Map.of()), "create"));
        run(request(instance, PLAN, Map.of()), () -> BED.provisioner.deprovision(request(instance, PLAN, Map.of())));
    }

    /**
     * Provision, bind, use, grow (a modification), snapshot, delete the snapshot, unbind, deprovision; each step run
     * again while it fails as one worth running again.
     */
    private static void life(String instance, Plan plan, Plan grownPlan) {
        InstanceRequest created = run(
                request(instance, plan, Map.of()), () -> BED.provisioner.provision(request(instance, plan, Map.of())));
        BindRequest binding = new BindRequest(created, UUID.randomUUID().toString(), Map.of());
        Credentials credentials = again(() -> BED.provisioner.bind(binding));
        try (Connection c =
                DriverManager.getConnection(String.valueOf(credentials.values().get("jdbcUrl")))) {
            c.createStatement().execute("CREATE TABLE written (v text)");
        } catch (SQLException e) {
            fail("the binding's credentials do not work: " + e.getMessage());
        }
        InstanceRequest grown = new InstanceRequest(instance, grownPlan, Map.of(), created.labels(), created.outputs());
        run(grown, () -> BED.provisioner.update(new UpdateRequest(grown, plan, Map.of())));
        InstanceSnapshots snapshots = BED.provisioner.snapshots().orElseThrow();
        String snapshot = "pb-" + ResourceNames.hash(instance, 24);
        STEPS.toEnd(() -> snapshots.startSnapshot(grown, snapshot), name -> snapshots.pollSnapshot(grown, name));
        again(() -> {
            snapshots.deleteSnapshot(snapshot);
            return null;
        });
        again(() -> {
            BED.provisioner.unbind(binding);
            return null;
        });
        run(grown, () -> BED.provisioner.deprovision(grown));
    }

    /** Runs a step and polls what it leaves in progress to its end; answers the instance with the step's outputs. */
    private static InstanceRequest run(InstanceRequest request, Supplier<StepOutcome> step) {
        StepOutcome outcome = STEPS.toEnd(step, reference -> BED.provisioner.poll(request, reference));
        Map<String, String> outputs = new HashMap<>(request.outputs());
        outputs.putAll(((StepOutcome.Completed) outcome).outputs());
        return new InstanceRequest(request.instanceId(), request.plan(), Map.of(), request.labels(), outputs);
    }

    private static <T> T again(Supplier<T> step) {
        return STEPS.again(step);
    }

    private static InstanceRequest request(String instance, Plan plan, Map<String, String> outputs) {
        return new InstanceRequest(instance, plan, Map.of(), Map.of("organization_guid", "org-faults"), outputs);
    }
}
