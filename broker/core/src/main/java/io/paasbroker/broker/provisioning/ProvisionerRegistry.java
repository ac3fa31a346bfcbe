package io.paasbroker.broker.provisioning;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The provisioners this broker has, found by the name a plan gives and the kind of its service. They come from the
 * provisioner modules on its class path; the broker knows none of them by name.
 */
public class ProvisionerRegistry {

    private final Set<String> installed = new TreeSet<>();
    private final List<ServiceProvisioner> provisioners = new ArrayList<>();
    private final Map<String, Map<ServiceKind, String>> refusedKinds = new TreeMap<>();

    /** The plug-ins' provisioners, and provisioners defined on their own. */
    public ProvisionerRegistry(List<ProvisionerPlugin> plugins, List<ServiceProvisioner> others) {
        plugins.forEach(plugin -> {
            installed.add(plugin.name());
            provisioners.addAll(plugin.provisioners());
            refusedKinds.put(plugin.name(), plugin.refusedKinds());
        });
        others.forEach(provisioner -> {
            installed.add(provisioner.name());
            provisioners.add(provisioner);
        });
    }

    public Optional<ServiceProvisioner> find(String name, ServiceKind kind) {
        return provisioners.stream()
                .filter(p -> p.name().equals(name) && p.kind() == kind)
                .findFirst();
    }

    /** Why provisioner {@code name} can never serve {@code kind}, when its module says it cannot. */
    public Optional<String> refusal(String name, ServiceKind kind) {
        return Optional.ofNullable(refusedKinds.getOrDefault(name, Map.of()).get(kind));
    }

    /**
     * The names of the provisioner modules installed, whether or not they serve a kind with what they were configured
     * with: a plan naming another is a mistake in the catalog.
     */
    public Set<String> installed() {
        return Set.copyOf(installed);
    }

    public List<ServiceProvisioner> all() {
        return List.copyOf(provisioners);
    }
}
