package io.paasbroker.provisioner.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.CallFaults.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One of the test beds a fault-injection suite runs side by side, and the steps the broker runs against it: Azure
 * Resource Manager fails each call of a life in turn (refused with 500, throttled with 429, or carried out with its
 * answer lost), as many times in a row as the Azure SDK's pipeline sends a request, so the step itself sees the
 * fault. Each fault costs seconds of the pipeline's retries, so the lanes share the calls: lane {@code i} of {@code n}
 * takes every {@code n}-th of them, from the {@code i}-th.
 */
public abstract class ArmFaultLane implements AutoCloseable {

    /** The pipeline's request and its three retries all meet the fault: the step sees it. */
    public static final int FAULTS_IN_A_ROW = 4;

    /** Longer than the pipeline waits before its first retry (half a second). */
    private static final Duration OPERATIONS_TAKE = Duration.ofMillis(600);

    private final int index;
    private final int lanes;
    private final AzureTestBed bed;
    private final StepRunner steps = new StepRunner(ArmFaultLane::pass);

    /** Lane {@code index} of {@code lanes}, its test bed in {@code work}. */
    protected ArmFaultLane(int index, int lanes, Path work) {
        this.index = index;
        this.lanes = lanes;
        this.bed = new AzureTestBed(work);
        // Azure's operations take minutes: a request the pipeline sends again meets its first one still running
        bed.arm().operations().lastAtLeast(OPERATIONS_TAKE);
    }

    public AzureTestBed bed() {
        return bed;
    }

    /** The steps of this lane, run as the broker runs them. */
    public StepRunner steps() {
        return steps;
    }

    private CallFaults faults() {
        return bed.arm().faults();
    }

    /**
     * Runs {@code life} with no fault, counting the calls it makes (at least {@code least}), then again for each of
     * this lane's share of those calls failing: a call that writes in each way in turn, a call that reads (to which a
     * lost answer is no different from a refusal) in one, the ways taking turns over the reads. A step that failed as
     * one worth running again ran again, unless the call was carried out (its answer lost), which a step may adopt at
     * once. {@code life} is given the scenario, to name in its assertions.
     */
    public void eachCallFailingInTurn(int least, Consumer<String> life) {
        long start = faults().soFar();
        life.accept("no fault");
        long calls = faults().soFar() - start;
        assertThat(calls).as("calls of a life").isGreaterThanOrEqualTo(least);
        List<Position> positions = new ArrayList<>();
        int reads = 0;
        for (long k = 1; k <= calls; k++) {
            String call = bed.arm().call(start + k);
            List<Fault> ways = call.startsWith("GET ") ? List.of(Fault.values()[reads++ % 3]) : List.of(Fault.values());
            for (Fault fault : ways) {
                positions.add(new Position(k, call, fault));
            }
        }
        for (int i = index; i < positions.size(); i += lanes) {
            Position position = positions.get(i);
            String scenario =
                    position.fault() + " of call " + position.call() + " of " + calls + " (" + position.request() + ")";
            int runsBefore = steps.stepsRunAgain();
            long first = faults().soFar() + position.call();
            faults().fail(first, FAULTS_IN_A_ROW, position.fault());
            try {
                life.accept(scenario);
            } catch (ProvisioningFailedException e) {
                throw new AssertionError(scenario + ": a fault that passes failed the operation: " + e, e);
            }
            assertThat(faults().soFar()).as(scenario + ": the fault was met").isGreaterThanOrEqualTo(first);
            if (position.fault() != Fault.ACT_THEN_RESET) {
                assertThat(steps.stepsRunAgain())
                        .as(scenario + ": a step failed and ran again")
                        .isGreaterThan(runsBefore);
            }
        }
    }

    /** The {@code call}-th call of a life, {@code request} with no fault, meeting {@code fault}. */
    private record Position(long call, String request, Fault fault) {}

    /** Runs {@code work} in every lane at once; a failure in one is the test's. */
    public static <L extends ArmFaultLane> void inEveryLane(List<L> lanes, Consumer<L> work) {
        ExecutorService pool = Executors.newFixedThreadPool(lanes.size());
        try {
            List<Future<Void>> running = lanes.stream()
                    .map(lane -> pool.submit(() -> {
                        work.accept(lane);
                        return (Void) null;
                    }))
                    .toList();
            for (Future<Void> lane : running) {
                lane.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Passes one of the broker's waits (30 s before a step runs again, a minute between polls) in a tenth of a second:
     * the test bed's Azure works in real time, and its operations take under a second.
     */
    public static void pass(Duration wait) {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        bed.close();
    }
}
