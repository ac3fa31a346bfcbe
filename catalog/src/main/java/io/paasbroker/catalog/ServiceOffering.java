package io.paasbroker.catalog;

import java.util.List;
import java.util.Map;

/**
 * A service offering as the platform's marketplace shows it, with its plans. {@code bindable} is required; the other
 * flags default to false.
 */
public record ServiceOffering(
        String id,
        String name,
        String description,
        ServiceKind kind,
        List<String> tags,
        Boolean bindable,
        Boolean instancesRetrievable,
        Boolean bindingsRetrievable,
        Boolean planUpdateable,
        Boolean allowContextUpdates,
        Map<String, Object> metadata,
        List<Plan> plans) {

    public ServiceOffering {
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        plans = plans == null ? List.of() : List.copyOf(plans);
        instancesRetrievable = instancesRetrievable != null && instancesRetrievable;
        bindingsRetrievable = bindingsRetrievable != null && bindingsRetrievable;
        planUpdateable = planUpdateable != null && planUpdateable;
        allowContextUpdates = allowContextUpdates != null && allowContextUpdates;
    }

    public boolean isBindable(Plan plan) {
        return plan.bindable() == null ? bindable : plan.bindable();
    }

    public boolean isPlanUpdateable(Plan plan) {
        return plan.planUpdateable() == null ? planUpdateable : plan.planUpdateable();
    }
}
