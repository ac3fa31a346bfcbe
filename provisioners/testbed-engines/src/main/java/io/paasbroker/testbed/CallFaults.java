package io.paasbroker.testbed;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The faults a fake injects into the calls it is sent, as a cloud's control planes sometimes fail: each well-formed,
 * signed call is counted, and the calls of a window of that count meet a fault. A suite fails the {@code k}-th call
 * of a scenario for every {@code k} and checks that the steps, run again, converge.
 */
public final class CallFaults {

    /** How an injected fault meets a call. */
    public enum Fault {
        /** Answered as the service's internal failure (500), nothing done. */
        REFUSE,
        /** Answered as the service's throttling, nothing done. */
        THROTTLE,
        /** Done, then the connection is closed with no answer: the caller cannot tell whether it happened. */
        ACT_THEN_RESET
    }

    /** Calls {@code from} to {@code to} (by the count of {@link #soFar}) meet {@code fault}. */
    private record Window(long from, long to, Fault fault) {}

    private final AtomicLong calls = new AtomicLong();
    private volatile Window window;

    /**
     * Counts a call: a fault that refuses it is thrown as the service answers it ({@code refused}, {@code throttled}:
     * the fake's own error of the service's internal failure and of its throttling); the fault that lets it through
     * ({@link Fault#ACT_THEN_RESET}), or null.
     */
    public Fault next(Supplier<? extends RuntimeException> refused, Supplier<? extends RuntimeException> throttled) {
        long call = calls.incrementAndGet();
        Window current = window;
        Fault fault = current != null && call >= current.from() && call <= current.to() ? current.fault() : null;
        if (fault == Fault.REFUSE) {
            throw refused.get();
        }
        if (fault == Fault.THROTTLE) {
            throw throttled.get();
        }
        return fault;
    }

    /** How many calls were counted. */
    public long soFar() {
        return calls.get();
    }

    /** Makes the {@code count} calls from the {@code first}-th on meet {@code fault}; the others are answered. */
    public void fail(long first, int count, Fault fault) {
        window = new Window(first, first + count - 1, fault);
    }

    /** Thrown by a fake to close an exchange with no answer. */
    public static final class AnswerLost extends RuntimeException {
        public AnswerLost() {
            super(null, null, false, false);
        }
    }
}
