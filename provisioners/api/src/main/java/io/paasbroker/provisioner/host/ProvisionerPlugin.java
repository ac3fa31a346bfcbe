package io.paasbroker.provisioner.host;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.List;
import java.util.Map;

/**
 * What a provisioner module hands the broker, as a bean its wiring defines: its name and the provisioners it runs,
 * one per service kind it serves with what it was configured with. The broker publishes the plans of these and no others.
 */
public interface ProvisionerPlugin {

    /** The name plans give in {@code provisioner.name}: known to the broker even when it serves no kind here. */
    String name();

    List<ServiceProvisioner> provisioners();

    /**
     * The service kinds this module can never serve, each with why: a plan naming it for one of them stops the broker
     * at start-up with that reason, rather than being left out of the catalog as a kind not configured here is.
     */
    default Map<ServiceKind, String> refusedKinds() {
        return Map.of();
    }

    static ProvisionerPlugin of(String name, List<ServiceProvisioner> provisioners) {
        return of(name, provisioners, Map.of());
    }

    /** A module that serves {@code provisioners} and can never serve the kinds of {@code refused}. */
    static ProvisionerPlugin of(String name, List<ServiceProvisioner> provisioners, Map<ServiceKind, String> refused) {
        List<ServiceProvisioner> all = List.copyOf(provisioners);
        Map<ServiceKind, String> refusedKinds = Map.copyOf(refused);
        return new ProvisionerPlugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ServiceProvisioner> provisioners() {
                return all;
            }

            @Override
            public Map<ServiceKind, String> refusedKinds() {
                return refusedKinds;
            }
        };
    }
}
