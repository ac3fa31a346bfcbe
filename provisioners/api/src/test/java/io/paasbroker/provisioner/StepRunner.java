package io.paasbroker.provisioner;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs steps as the broker does: a step that fails as one worth running again is run again a while later (up to ten
 * runs), and what a step leaves in progress is polled, a minute apart, to its end. How those waits pass is the test
 * bed's: a fake's manual clock moved on, or real time slept.
 */
public final class StepRunner {

    private static final int STEP_RUNS = 10;

    private final Consumer<Duration> waits;
    private int stepsRunAgain;
    private int polls;

    /** @param waits passes each of the broker's waits: {@code clock::advance} of a fake's manual clock, say */
    public StepRunner(Consumer<Duration> waits) {
        this.waits = waits;
    }

    /** How many times a step failed as one worth running again, and was. */
    public int stepsRunAgain() {
        return stepsRunAgain;
    }

    /** How many times what a step left in progress was polled. */
    public int polls() {
        return polls;
    }

    public <T> T again(Supplier<T> step) {
        for (int run = 1; ; run++) {
            try {
                return step.get();
            } catch (BackingServiceUnavailableException e) {
                if (run == STEP_RUNS) {
                    throw e;
                }
                stepsRunAgain++;
                waits.accept(Duration.ofSeconds(30));
            }
        }
    }

    /** Runs {@code step}, then {@code poll} with what it left in progress, each run again as needed, to its end. */
    public <T> T toEnd(Supplier<? extends T> step, Function<String, ? extends T> poll) {
        T outcome = again(step::get);
        while (outcome instanceof StepOutcome.InProgress progress) {
            waits.accept(Duration.ofMinutes(1));
            polls++;
            outcome = again(() -> poll.apply(progress.reference()));
        }
        return outcome;
    }
}
