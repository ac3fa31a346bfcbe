package io.paasbroker.broker.health;

import io.paasbroker.broker.provisioning.ProvisionerRegistry;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Whether every backing server a provisioner uses answers; one down server makes the broker DOWN. */
@Component
public class ProvisionersHealthIndicator implements HealthIndicator {

    private final ProvisionerRegistry provisioners;

    public ProvisionersHealthIndicator(ProvisionerRegistry provisioners) {
        this.provisioners = provisioners;
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
            up &= health.isUp();
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
