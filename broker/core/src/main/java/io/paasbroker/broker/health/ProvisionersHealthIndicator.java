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
 * Whether every resource a provisioner depends on (a shared server, a cloud region or account) answers, in the health
 * details and as the gauge {@code paasbroker.backing.resource.up} (1 or 0 per provisioner, kind and resource). A down
 * resource makes the broker {@link #DEGRADED}, not down: the broker still serves every other one, and a platform that
 * restarts a down broker would gain nothing. Liveness and readiness never include it.
 */
@Component
public class ProvisionersHealthIndicator implements HealthIndicator {

    /** Some backing resource does not answer; answered 200, ordered between DOWN and UP. */
    public static final Status DEGRADED = new Status("DEGRADED", "a backing resource does not answer");

    private final ProvisionerRegistry provisioners;
    private final MeterRegistry meters;
    private final Map<String, AtomicInteger> resourceUp = new ConcurrentHashMap<>();

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
            Map<String, String> resources = new LinkedHashMap<>(health.resourcesUp());
            health.problemsByResource().forEach((resource, problem) -> resources.put(resource, "DOWN: " + problem));
            details.put(key, resources);
            health.resourcesUp()
                    .keySet()
                    .forEach(resource -> gauge(provisioner, resource).set(1));
            health.problemsByResource()
                    .keySet()
                    .forEach(resource -> gauge(provisioner, resource).set(0));
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

    private AtomicInteger gauge(ServiceProvisioner provisioner, String resource) {
        return resourceUp.computeIfAbsent(
                provisioner.name() + "/" + provisioner.kind().key() + "/" + resource, key -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder("paasbroker.backing.resource.up", value, AtomicInteger::get)
                            .description("1 while the backing resource answers, 0 while it does not")
                            .tag("provisioner", provisioner.name())
                            .tag("kind", provisioner.kind().key())
                            .tag("resource", resource)
                            .register(meters);
                    return value;
                });
    }
}
