package io.paasbroker.provisioner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.paasbroker.catalog.Plan;

/** Reads a plan's raw provisioner properties into a provisioner's own record, rejecting unknown or mistyped keys. */
public final class PlanProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PlanProperties() {}

    public static <T> T read(Plan plan, Class<T> type) {
        try {
            return MAPPER.convertValue(plan.provisioner().properties(), type);
        } catch (IllegalArgumentException e) {
            throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): provisioner properties: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
