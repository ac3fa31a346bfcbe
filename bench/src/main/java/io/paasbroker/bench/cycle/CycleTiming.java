package io.paasbroker.bench.cycle;

/** How long each step of one cycle took, and how much of it the backing service took. */
public record CycleTiming(Step provision, Step bind, Step unbind, Step deprovision) {

    /**
     * One step, in nanoseconds: its latency as the caller saw it, and the part of it spent in the backing service
     * (through the broker: what its {@code Server-Timing: backing} header reported; raw: all of it).
     */
    public record Step(long nanos, long backingNanos) {

        /** A step done directly on the provisioner: all of it is the backing service's. */
        public static Step raw(long nanos) {
            return new Step(nanos, nanos);
        }

        /** What the broker added to the step: its latency minus the backing service's part. */
        public long ownNanos() {
            return nanos - backingNanos;
        }
    }

    public long total() {
        return provision.nanos() + bind.nanos() + unbind.nanos() + deprovision.nanos();
    }

    /** What the broker itself added to the cycle: the sum over its steps of latency minus backing time. */
    public long ownNanos() {
        return provision.ownNanos() + bind.ownNanos() + unbind.ownNanos() + deprovision.ownNanos();
    }
}
