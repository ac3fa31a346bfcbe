package io.paasbroker.bench.cycle;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ProvisionerSpec;
import java.util.Map;

/** A service of the broker's default catalog: its name in the tables and the catalog ids of the plan measured. */
abstract class DefaultCatalogService implements BenchedService {

    private final String name;
    private final String serviceId;
    private final String planId;

    DefaultCatalogService(String name, String serviceId, String planId) {
        this.name = name;
        this.serviceId = serviceId;
        this.planId = planId;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String serviceId() {
        return serviceId;
    }

    @Override
    public final String planId() {
        return planId;
    }

    /** The provisioner side of the measured plan, as catalog.yml has it; the OSB-only fields do not matter to it. */
    final Plan plan(String planName, Map<String, Object> provisionerProperties) {
        return new Plan(
                planId,
                planName,
                name + " plan " + planName,
                true,
                null,
                null,
                null,
                null,
                null,
                null,
                Map.of(),
                new ProvisionerSpec("local", provisionerProperties),
                null,
                null);
    }
}
