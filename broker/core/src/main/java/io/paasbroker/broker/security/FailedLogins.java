package io.paasbroker.broker.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed logins, counted per client address in windows of a minute, and answered late: a failure is answered no
 * sooner than {@code delay} after its check began, whichever way it failed (unknown user, wrong password, a hash
 * checked or not), so its timing tells nothing; the wait is a sleep, not work. A client over {@code perMinute}
 * failures is refused at once until its window ends.
 */
public class FailedLogins {

    /** Sleeps for a number of nanoseconds; the tests' own does not. */
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    private static final int CLIENTS_KEPT = 10_000;

    private final long delayNanos;
    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, int failures) {}

    public FailedLogins(Duration delay, int perMinute) {
        this(delay, perMinute, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    FailedLogins(Duration delay, int perMinute, LongSupplier nanoTime, Sleeper sleeper) {
        this.delayNanos = delay.toNanos();
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** The time a check begins, to give to {@link #failed}. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Whether {@code client} has failed {@code perMinute} times in its current window. */
    boolean limited(String client) {
        Window window = windows.get(client);
        return window != null && now() - window.start() < WINDOW_NANOS && window.failures() >= perMinute;
    }

    /** Counts a failure of {@code client} and returns once {@code delay} has passed since {@code started}. */
    void failed(String client, long started) {
        long now = now();
        if (windows.size() >= CLIENTS_KEPT) {
            windows.values().removeIf(window -> now - window.start() >= WINDOW_NANOS);
        }
        windows.merge(
                client,
                new Window(now, 1),
                (old, first) ->
                        now - old.start() >= WINDOW_NANOS ? first : new Window(old.start(), old.failures() + 1));
        long wait = started + delayNanos - now();
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Seconds until {@code client} may try again. */
    long retryAfterSeconds(String client) {
        Window window = windows.get(client);
        long left = window == null ? 0 : window.start() + WINDOW_NANOS - now();
        return Math.max(1, Duration.ofNanos(left).toSeconds() + 1);
    }
}
