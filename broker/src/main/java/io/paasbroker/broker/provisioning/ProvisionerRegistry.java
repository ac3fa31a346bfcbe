package io.paasbroker.broker.provisioning;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The provisioners this broker has, found by the name a plan gives and the kind of its service. */
public class ProvisionerRegistry {

    /** The provisioner names a catalog may use; a plan naming another stops the broker at start-up. */
    public static final Set<String> KNOWN_NAMES = Set.of("local", "aws", "azure");

    private final List<ServiceProvisioner> provisioners;

    public ProvisionerRegistry(List<ServiceProvisioner> provisioners) {
        this.provisioners = List.copyOf(provisioners);
    }

    public Optional<ServiceProvisioner> find(String name, ServiceKind kind) {
        return provisioners.stream()
                .filter(p -> p.name().equals(name) && p.kind() == kind)
                .findFirst();
    }

    public List<ServiceProvisioner> all() {
        return provisioners;
    }
}
