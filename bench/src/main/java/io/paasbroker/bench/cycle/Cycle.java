package io.paasbroker.bench.cycle;

import java.time.Duration;

/**
 * The life of one instance, with fresh ids each time: provision, bind, unbind, deprovision. Safe to run from several
 * threads at once; throws when a step fails.
 */
public interface Cycle {

    CycleTiming run();

    /** Leaves the machine idle for {@code pause} before a step (a step's time never includes it). */
    static void idle(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
