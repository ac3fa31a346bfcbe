package io.paasbroker.bench.cycle;

/** How long each step of one cycle took, in nanoseconds. */
public record CycleTiming(long provision, long bind, long unbind, long deprovision) {

    public long total() {
        return provision + bind + unbind + deprovision;
    }
}
