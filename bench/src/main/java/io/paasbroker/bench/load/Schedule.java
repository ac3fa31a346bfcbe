package io.paasbroker.bench.load;

import java.time.Duration;

/**
 * How a comparison of two sides is taken: after a warm-up of each, {@code rounds} rounds, each running one side for
 * {@code slot} and then the other (which goes first alternates). Short slots in turns keep both sides on the same
 * machine: on two shared cores the floor itself can move by half within a minute.
 */
public record Schedule(Duration warmUp, int rounds, Duration slot) {

    public static Schedule of(Duration warmUp, int rounds, Duration slot) {
        return new Schedule(warmUp, rounds, slot);
    }
}
