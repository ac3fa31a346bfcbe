package io.paasbroker.catalog;

import java.util.Map;

/**
 * A plan of a service offering. {@code bindable} and {@code planUpdateable} are null when the plan inherits them from
 * its service; {@code asyncRequired} makes every change of the plan's instances asynchronous; {@code backups} schedules
 * backups of its instances (none when null).
 */
public record Plan(
        String id,
        String name,
        String description,
        Boolean free,
        Boolean bindable,
        Boolean planUpdateable,
        Boolean bindingRotatable,
        Integer maximumPollingDuration,
        MaintenanceInfo maintenanceInfo,
        Boolean asyncRequired,
        Map<String, Object> metadata,
        ProvisionerSpec provisioner,
        Schemas schemas,
        BackupSchedule backups) {

    public Plan {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        schemas = schemas == null ? new Schemas(null, null) : schemas;
        free = free == null || free;
        bindingRotatable = bindingRotatable != null && bindingRotatable;
        asyncRequired = asyncRequired != null && asyncRequired;
    }
}
