package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidParametersException;
import java.util.List;
import java.util.Map;

/**
 * What a user may choose of a flexible server, within its plan: extensions among the plan's. The plan's JSON schema
 * checks the shapes first; this checks what only the plan's properties can tell.
 *
 * @param extensions {@code extensions}
 */
record FlexibleParameters(List<String> extensions) {

    static FlexibleParameters of(Map<String, Object> parameters) {
        Object extensions = parameters.get("extensions");
        return new FlexibleParameters(
                extensions instanceof List<?> names
                        ? names.stream().map(String::valueOf).toList()
                        : List.of());
    }

    void check(Plan plan, FlexiblePlan properties) {
        for (String extension : extensions) {
            if (!properties.allowedExtensions().contains(extension)) {
                throw new InvalidParametersException("extension '" + extension + "' is not allowed on plan '"
                        + plan.name() + "'; allowed: " + properties.allowedExtensions());
            }
        }
    }
}
