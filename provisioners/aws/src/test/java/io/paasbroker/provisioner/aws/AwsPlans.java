package io.paasbroker.provisioner.aws;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.TestPlans;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plans of the aws provisioner for the suites: a catalog plan with nothing but its name and properties. */
public final class AwsPlans {

    private AwsPlans() {}

    /** A plan {@code name} of {@code defaults} with {@code overrides} on top; its id says its kind ({@code redis}). */
    public static Plan plan(
            String kind, String name, String description, Map<String, Object> defaults, Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>(defaults);
        properties.putAll(overrides);
        return TestPlans.of("plan-aws-" + kind + "-" + name, name, description, "aws", properties);
    }
}
