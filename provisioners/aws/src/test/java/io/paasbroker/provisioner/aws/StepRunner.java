package io.paasbroker.provisioner.aws;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.testbed.ManualClock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs steps as the broker does, on a fake's manual clock: a step that fails as one worth running again is run again
 * a while later (up to ten runs), and what a step leaves in progress is polled, a minute apart, to its end.
 */
public final class StepRunner {

    private static final int STEP_RUNS = 10;

    private final ManualClock clock;
    private int stepsRunAgain;
    private int polls;

    public StepRunner(ManualClock clock) {
        this.clock = clock;
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
                clock.advance(Duration.ofSeconds(30));
            }
        }
    }

    /** Runs {@code step}, then {@code poll} with what it left in progress, each run again as needed, to its end. */
    public <T> T toEnd(Supplier<? extends T> step, Function<String, ? extends T> poll) {
        T outcome = again(step::get);
        while (outcome instanceof StepOutcome.InProgress progress) {
            clock.advance(Duration.ofMinutes(1));
            polls++;
            outcome = again(() -> poll.apply(progress.reference()));
        }
        return outcome;
    }
}
