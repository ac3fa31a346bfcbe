package io.paasbroker.provisioner.local.common;

import io.paasbroker.catalog.MaintenanceInfo;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ProvisionerSpec;
import java.util.Map;

/** Catalog plans served by the {@code local} provisioner, with everything a test does not name left at its default. */
public final class LocalPlans {

    private LocalPlans() {}

    public static Plan plan(
            String id, String name, String description, String maintenanceVersion, Map<String, Object> properties) {
        return new Plan(
                id,
                name,
                description,
                null,
                null,
                null,
                null,
                null,
                new MaintenanceInfo(maintenanceVersion, null),
                null,
                null,
                new ProvisionerSpec("local", properties),
                null,
                null);
    }
}
