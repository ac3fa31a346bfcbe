package io.paasbroker.broker.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paasbroker.broker.provisioning.ProvisionerRegistry;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Whether every backing server a provisioner uses answers, in the health details and as the gauge
 * {@code paasbroker.backing.server.up} (1 or 0 per provisioner, kind and server). A down server makes the broker
 * {@link #DEGRADED}, not down: the broker still serves every other server, and a platform that restarts a down
 * broker would gain nothing. Liveness and readiness never include it.
 */
@Component
public class ProvisionersHealthIndicator implements HealthIndicator {

    /** Some backing server does not answer; answered 200, ordered between DOWN and UP. */
    public static final Status DEGRADED = new Status("DEGRADED", "a backing server does not answer");

    private final ProvisionerRegistry provisioners;
    private final MeterRegistry meters;
    private final Map<String, AtomicInteger> serverUp = new ConcurrentHashMap<>();

    public ProvisionersHealthIndicator(ProvisionerRegistry provisioners, MeterRegistry meters) {
        this.provisioners = provisioners;
        this.meters = meters;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (ServiceProvisioner provisioner : provisioners.all()) {
            io.paasbroker.provisioner.Health health = provisioner.health();
            String key = provisioner.name() + "-" + provisioner.kind().key();
            Map<String, String> servers = new LinkedHashMap<>(health.serversUp());
            health.problemsByServer().forEach((server, problem) -> servers.put(server, "DOWN: " + problem));
            details.put(key, servers);
            health.serversUp()
                    .keySet()
                    .forEach(server -> gauge(provisioner, server).set(1));
            health.problemsByServer()
                    .keySet()
                    .forEach(server -> gauge(provisioner, server).set(0));
            up &= health.isUp();
        }
        return Health.status(up ? Status.UP : DEGRADED).withDetails(details).build();
    }

    /** Keeps the gauge current between health requests. */
    @Scheduled(
            fixedDelayString = "${paasbroker.health.check-interval:30s}",
            initialDelayString = "${paasbroker.health.check-interval:30s}")
    void refresh() {
        health();
    }

    private AtomicInteger gauge(ServiceProvisioner provisioner, String server) {
        return serverUp.computeIfAbsent(
                provisioner.name() + "/" + provisioner.kind().key() + "/" + server, key -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder("paasbroker.backing.server.up", value, AtomicInteger::get)
                            .description("1 while the backing server answers, 0 while it does not")
                            .tag("provisioner", provisioner.name())
                            .tag("kind", provisioner.kind().key())
                            .tag("server", server)
                            .register(meters);
                    return value;
                });
    }
}
