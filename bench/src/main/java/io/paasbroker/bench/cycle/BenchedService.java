package io.paasbroker.bench.cycle;

import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.CpuMeter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A service whose cycle is measured both through the broker and directly on its provisioner against the broker's
 * embedded server. Adding a service means one more implementation of this, listed in {@code Benchmark.SERVICES}.
 */
public interface BenchedService {

    String name();

    /** The catalog ids of the plan measured (the broker's default catalog). */
    String serviceId();

    String planId();

    default Cycle throughBroker(OsbPlatform broker) {
        return new BrokerCycle(broker, serviceId(), planId());
    }

    /** The provisioner and plan the broker would use, aimed at the embedded server of the broker's data directory. */
    ProvisionerCycle direct(Path brokerDataDirectory);

    /** What the raw side runs, as the cycle table's title says it. */
    default String rawSide() {
        return "its provisioner called in-process on the same embedded server";
    }

    /** The CPU the service's embedded server uses, all its processes; a meter reading -1 shows as "-". */
    CpuMeter serverCpu(Path brokerDataDirectory);

    /** What the table's server CPU column counts, as its title says it. */
    default String serverCpuColumn() {
        return "the " + name() + " server (all its processes)";
    }

    /**
     * Whether a cycle takes seconds rather than milliseconds (OpenSearch: about ten writes to the security plugin's
     * configuration). The benchmark then measures it in fewer rounds, so that a run stays short, and warms the broker
     * up at concurrency 1: concurrent OpenSearch cycles mostly fail on the security plugin's version conflicts.
     */
    default boolean slowCycles() {
        return false;
    }

    /**
     * The bare statements of a cycle on the same server, where the service has such a floor: the raw cycle is compared
     * with it at concurrency 1.
     */
    default Optional<SqlFloor> sqlFloor(Path brokerDataDirectory) {
        return Optional.empty();
    }

    /** A cycle of bare statements, holding a connection until closed. */
    interface SqlFloor extends Cycle, AutoCloseable {}

    /** What the issue asks of this service's cycle: the targets the table judges. */
    default CycleTargets targets() {
        return CycleTargets.NONE;
    }
}
