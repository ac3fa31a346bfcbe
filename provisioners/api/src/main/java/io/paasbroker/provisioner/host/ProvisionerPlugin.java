package io.paasbroker.provisioner.host;

import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.List;

/**
 * What a provisioner module hands the broker, as a bean its wiring defines: its name and the provisioners it runs,
 * one per service kind it serves with what it was configured with. The broker publishes the plans of these and no others.
 */
public interface ProvisionerPlugin {

    /** The name plans give in {@code provisioner.name}: known to the broker even when it serves no kind here. */
    String name();

    List<ServiceProvisioner> provisioners();

    static ProvisionerPlugin of(String name, List<ServiceProvisioner> provisioners) {
        List<ServiceProvisioner> all = List.copyOf(provisioners);
        return new ProvisionerPlugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ServiceProvisioner> provisioners() {
                return all;
            }
        };
    }
}
