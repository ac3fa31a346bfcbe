package io.paasbroker.broker.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The time spent in provisioner calls, that is on the backing service's side: each call in the metric
 * {@code paasbroker.backing.calls} (by service, provisioner and step), and summed over a request on the thread that
 * serves it, so that a synchronous answer can tell the platform how much of its wait the backing service took.
 */
@Component
public class BackingTime {

    private static final ThreadLocal<long[]> REQUEST_NANOS = new ThreadLocal<>();

    private final MeterRegistry meters;

    public BackingTime(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Starts summing the backing time of the calls this thread makes. */
    public static void beginRequest() {
        REQUEST_NANOS.set(new long[1]);
    }

    /** The nanoseconds this thread spent in provisioner calls since {@link #beginRequest()}. */
    public static long soFar() {
        long[] nanos = REQUEST_NANOS.get();
        return nanos == null ? 0 : nanos[0];
    }

    /** Stops summing. */
    public static void endRequest() {
        REQUEST_NANOS.remove();
    }

    <T> T measure(String service, String provisioner, String step, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            long elapsed = System.nanoTime() - start;
            long[] requestNanos = REQUEST_NANOS.get();
            if (requestNanos != null) {
                requestNanos[0] += elapsed;
            }
            Timer.builder("paasbroker.backing.calls")
                    .description("Provisioner calls: the backing service's part of an operation")
                    .tag("service", service)
                    .tag("provisioner", provisioner)
                    .tag("step", step)
                    .register(meters)
                    .record(elapsed, TimeUnit.NANOSECONDS);
        }
    }
}
