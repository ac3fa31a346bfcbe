package io.paasbroker.bench;

import io.paasbroker.bench.cycle.CycleTiming;
import io.paasbroker.bench.load.Bootstrap;
import io.paasbroker.bench.load.Paired;
import io.paasbroker.bench.load.Percentiles;
import io.paasbroker.bench.load.Repeats;

/**
 * One service's cycle at one concurrency, through the broker and directly on its provisioner, taken in alternating
 * slots so that both sides sample the same minutes of the machine; {@code label} says which service and which state
 * of the broker.
 */
record CycleComparison(String label, int concurrency, Repeats<CycleTiming> broker, Repeats<CycleTiming> raw) {

    /** Broker over raw median cycle time, over all cycles of each side. */
    double ratio() {
        return broker.medianMillis() / raw.medianMillis();
    }

    /**
     * What the broker adds to a cycle, in ms: the median over the broker's cycles of each cycle's own time (the sum
     * over its four calls of latency minus the backing time the broker reported). The backing service's noise, such
     * as PostgreSQL's CREATE DATABASE, is left out, and the raw side is not needed.
     */
    double ownCostMillis() {
        return Percentiles.of(ownNanos()).millis(0.50);
    }

    /**
     * Of {@link #ownCostMillis()}, what the broker's server spent: the median over the broker's cycles of the sum of
     * each call's Server-Timing total minus its backing time. The difference is the client's HTTP stack and the
     * network, which the broker does not control.
     */
    double inBrokerMillis() {
        return Percentiles.of(broker.results().stream()
                        .mapToLong(CycleTiming::inBrokerNanos)
                        .toArray())
                .millis(0.50);
    }

    /** The lowest and highest ratio of a single round: how much the machine moved the answer. */
    String ratioRange() {
        double[] range = Paired.range(broker, raw, (b, r) -> b.medianMillis() / r.medianMillis());
        return String.format("%.2f-%.2f", range[0], range[1]);
    }

    /** 90 % bootstrap interval of {@link #ratio()}. */
    double[] ratioInterval() {
        return Bootstrap.interval(broker.allLatencies(), raw.allLatencies(), (b, r) -> b / r);
    }

    /** 90 % bootstrap interval of {@link #ownCostMillis()}. */
    double[] ownCostInterval() {
        return Bootstrap.medianInterval(ownNanos());
    }

    private long[] ownNanos() {
        return broker.results().stream().mapToLong(CycleTiming::ownNanos).toArray();
    }
}
