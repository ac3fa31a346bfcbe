package io.paasbroker.bench.cycle;

/**
 * What the issue asks of a service's cycle, each null where it asks nothing: through the broker at most
 * {@code maxRatioToRaw} times the raw cycle (median, at every concurrency measured), the broker's own cost (median
 * over cycles of the four calls' latency minus the backing time the broker reported) at most {@code maxOwnMillis} at
 * concurrency 1, and at least
 * {@code minCyclesPerSecond} cycles a second through the broker at the highest concurrency measured (8), and the raw
 * cycle at most {@code maxRatioToSqlFloor} times its bare SQL at concurrency 1.
 */
public record CycleTargets(
        Double maxRatioToRaw, Double maxOwnMillis, Double minCyclesPerSecond, Double maxRatioToSqlFloor) {

    public static final CycleTargets NONE = new CycleTargets(null, null, null, null);

    public CycleTargets(Double maxRatioToRaw, Double maxOwnMillis, Double minCyclesPerSecond) {
        this(maxRatioToRaw, maxOwnMillis, minCyclesPerSecond, null);
    }
}
