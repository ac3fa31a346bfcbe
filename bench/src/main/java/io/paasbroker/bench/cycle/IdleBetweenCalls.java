package io.paasbroker.bench.cycle;

import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.CpuMeter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Another service's cycle with the machine left idle before each call, on both sides, outside the calls' times: what
 * a slow backing step (PostgreSQL's CREATE DATABASE, tens to hundreds of milliseconds) does to the broker's own time,
 * shown on a service whose backing work is a millisecond. Named after it with {@code -paced}.
 */
public final class IdleBetweenCalls implements BenchedService {

    private final BenchedService service;
    private final Duration pause;

    public IdleBetweenCalls(BenchedService service, Duration pause) {
        this.service = service;
        this.pause = pause;
    }

    @Override
    public String name() {
        return service.name() + "-paced";
    }

    @Override
    public String serviceId() {
        return service.serviceId();
    }

    @Override
    public String planId() {
        return service.planId();
    }

    @Override
    public Cycle throughBroker(OsbPlatform broker) {
        return new BrokerCycle(broker, serviceId(), planId(), pause);
    }

    @Override
    public ProvisionerCycle direct(Path brokerDataDirectory) {
        return service.direct(brokerDataDirectory).idlingBeforeEachStep(pause);
    }

    @Override
    public String rawSide() {
        return service.rawSide() + "; both sides leave the machine idle for " + pause.toMillis()
                + " ms before each call (not counted), as a slow backing step leaves it";
    }

    @Override
    public CpuMeter serverCpu(Path brokerDataDirectory) {
        return service.serverCpu(brokerDataDirectory);
    }

    @Override
    public String serverCpuColumn() {
        return service.serverCpuColumn();
    }
}
