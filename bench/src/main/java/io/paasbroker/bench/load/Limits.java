package io.paasbroker.bench.load;

import java.time.Duration;

/** When a load run stops: after {@code operations} operations or {@code time}, whichever comes first. */
public record Limits(int operations, Duration time) {

    public static Limits of(int operations, Duration time) {
        return new Limits(operations, time);
    }
}
