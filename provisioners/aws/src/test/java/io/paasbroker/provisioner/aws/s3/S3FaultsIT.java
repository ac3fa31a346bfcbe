package io.paasbroker.provisioner.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.aws.TestBedAccount;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.CallFaults.Fault;
import io.paasbroker.testbed.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 or IAM failing any one call of a bucket's life (made, bound, written to, changed, unbound, deleted with its
 * objects): each call in turn is refused, throttled or carried out with its answer lost, as many times as the SDK
 * tries. The step sees it (it fails and runs again, or polls again), and run again, as the broker does, every step
 * converges: the binding's key works, and at the end neither the bucket nor an IAM user of the instance is left. The
 * fakes' clock moves only when a step waits, and IAM's keys work at once, so every run makes the same calls in the
 * same order.
 */
class S3FaultsIT {

    /** As many as the SDK's standard retry mode attempts (three in all), so the step itself sees the fault. */
    private static final int FAULTS_IN_A_ROW = 3;

    private static final ManualClock CLOCK = new ManualClock();
    private static final StepRunner STEPS = new StepRunner(CLOCK::advance);
    private static final TestBedAccount ACCOUNT = new TestBedAccount(CLOCK, Duration.ZERO);
    private static final String PREFIX = "pbfaults";
    private static final S3BucketProvisioner PROVISIONER = new S3BucketProvisioner(ACCOUNT.clients, PREFIX);
    private static final Plan PLAN = S3Contract.plan("faults", Map.of());
    private static final Plan VERSIONED = S3Contract.plan("faults-versioned", Map.of("versioning", true));

    @AfterAll
    static void stopTestBed() {
        ACCOUNT.close();
    }

    @AfterEach
    void noRequestBrokeTheModel() {
        assertThat(ACCOUNT.bed.takeViolations()).isEmpty();
    }

    @Test
    void everyS3CallOfALifeFailingInTurnStillEndsWithNothingLeft() {
        everyCallFailingInTurn(ACCOUNT.bed.s3().faults());
    }

    @Test
    void everyIamCallOfALifeFailingInTurnStillEndsWithNothingLeft() {
        everyCallFailingInTurn(ACCOUNT.bed.iam().faults());
    }

    private static void everyCallFailingInTurn(CallFaults faults) {
        long before = faults.soFar();
        int effortBefore = effort();
        life(UUID.randomUUID().toString());
        long calls = faults.soFar() - before;
        int effortOfALife = effort() - effortBefore;
        assertThat(calls).as("calls of one bucket's life").isGreaterThanOrEqualTo(5);

        for (Fault fault : Fault.values()) {
            for (long k = 1; k <= calls; k++) {
                String instance = UUID.randomUUID().toString();
                faults.fail(faults.soFar() + k, FAULTS_IN_A_ROW, fault);
                int effort = effort();

                life(instance);

                String scenario = fault + " of call " + k + " of " + calls;
                assertThat(ACCOUNT.bed.s3().bucketNames()).as(scenario).doesNotContain(PROVISIONER.bucket(instance));
                assertThat(ACCOUNT.bed.iam().userNames())
                        .as(scenario)
                        .noneMatch(user -> user.startsWith(BucketNames.usersOf(PREFIX, instance)));
                if (fault != Fault.ACT_THEN_RESET) { // a call done whose answer was lost may need nothing more
                    assertThat(effort() - effort)
                            .as(scenario + ": a step failed and ran again, or polled again")
                            .isGreaterThan(effortOfALife);
                }
            }
        }
    }

    /** The steps run again and the polls so far: a life that meets a fault takes more of them than one that does not. */
    private static int effort() {
        return STEPS.stepsRunAgain() + STEPS.polls();
    }

    /**
     * Provision, bind, write with the binding's key (the application trying again as a step would), change the plan,
     * unbind, deprovision with the object in it.
     */
    private static void life(String instance) {
        InstanceRequest created = run(request(instance, PLAN), () -> PROVISIONER.provision(request(instance, PLAN)));
        BindRequest binding = new BindRequest(created, UUID.randomUUID().toString(), Map.of());
        BindOutcome bound = STEPS.toEnd(
                () -> PROVISIONER.startBind(binding), reference -> PROVISIONER.pollBind(binding, reference));
        Credentials credentials = ((BindOutcome.Bound) bound).credentials();
        try (S3Client application = S3Contract.client(credentials)) {
            STEPS.again(() -> {
                try {
                    return application.putObject(
                            b -> b.bucket(PROVISIONER.bucket(instance)).key("written"), RequestBody.fromString("data"));
                } catch (SdkException e) {
                    throw new BackingServiceUnavailableException("the application's write failed", e);
                }
            });
        }
        InstanceRequest versioned = request(instance, VERSIONED);
        run(versioned, () -> PROVISIONER.update(new UpdateRequest(versioned, PLAN, Map.of())));
        STEPS.toEnd(() -> PROVISIONER.startUnbind(binding), reference -> PROVISIONER.pollUnbind(binding, reference));
        run(versioned, () -> PROVISIONER.deprovision(versioned));
    }

    private static InstanceRequest run(InstanceRequest request, Supplier<StepOutcome> step) {
        STEPS.toEnd(step, reference -> PROVISIONER.poll(request, reference));
        return request;
    }

    private static InstanceRequest request(String instance, Plan plan) {
        return new InstanceRequest(instance, plan, Map.of(), Map.of("organization_guid", "org-faults"), Map.of());
    }
}
