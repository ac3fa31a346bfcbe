package io.paasbroker.bench.cycle;

/** How long each step of one cycle took, and how much of it the backing service took. */
public record CycleTiming(Step provision, Step bind, Step unbind, Step deprovision) {

    /**
     * One step, in nanoseconds: its latency as the caller saw it, the part of it spent in the backing service and the
     * part the server had the request (through the broker: what its {@code Server-Timing} header reported as {@code
     * backing} and {@code total}; raw: all of it).
     */
    public record Step(long nanos, long backingNanos, long serverNanos) {

        /** A step done directly on the provisioner: all of it is the backing service's. */
        public static Step raw(long nanos) {
            return new Step(nanos, nanos, nanos);
        }

        /** What the broker added to the step as the caller saw it: its latency minus the backing service's part. */
        public long ownNanos() {
            return nanos - backingNanos;
        }

        /**
         * Of {@link #ownNanos()}, the part spent inside the broker; the rest was the caller's HTTP stack and the
         * network.
         */
        public long inBrokerNanos() {
            return serverNanos - backingNanos;
        }
    }

    public long total() {
        return provision.nanos() + bind.nanos() + unbind.nanos() + deprovision.nanos();
    }

    /** What the broker itself added to the cycle: the sum over its steps of latency minus backing time. */
    public long ownNanos() {
        return provision.ownNanos() + bind.ownNanos() + unbind.ownNanos() + deprovision.ownNanos();
    }

    /** Of {@link #ownNanos()}, the part spent inside the broker (Server-Timing's total minus backing, summed). */
    public long inBrokerNanos() {
        return provision.inBrokerNanos() + bind.inBrokerNanos() + unbind.inBrokerNanos() + deprovision.inBrokerNanos();
    }
}
