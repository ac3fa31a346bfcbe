package io.paasbroker.provisioner;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ProvisionerSpec;
import java.util.Map;

/** Plans for the suites: a catalog plan with nothing but its id, name, description, provisioner and properties. */
public final class TestPlans {

    private TestPlans() {}

    public static Plan of(
            String id, String name, String description, String provisioner, Map<String, Object> properties) {
        return new Plan(
                id,
                name,
                description,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ProvisionerSpec(provisioner, properties),
                null,
                null);
    }
}
