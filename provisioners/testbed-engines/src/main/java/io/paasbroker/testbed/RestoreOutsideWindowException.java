package io.paasbroker.testbed;

import java.time.Instant;

/** A point-in-time restore asked for a time its server's logs do not reach: a fake answers it as its cloud does. */
public final class RestoreOutsideWindowException extends IllegalArgumentException {

    RestoreOutsideWindowException(Instant time, Instant earliest) {
        super("The restore time " + time + " is outside the restorable window: " + earliest + " to now.");
    }
}
