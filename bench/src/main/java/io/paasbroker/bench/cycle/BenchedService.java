package io.paasbroker.bench.cycle;

import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.CpuMeter;
import java.nio.file.Path;

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

    /** The CPU the service's embedded server uses, all its processes. */
    CpuMeter serverCpu(Path brokerDataDirectory);

    /** What the issue asks of this service's cycle: the targets the table judges. */
    default CycleTargets targets() {
        return CycleTargets.NONE;
    }
}
