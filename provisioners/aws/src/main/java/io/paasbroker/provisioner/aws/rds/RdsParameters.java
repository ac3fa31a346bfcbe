package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidParametersException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a user may choose of an RDS instance, within its plan: extensions among the plan's, the backup and maintenance
 * windows, and whether deleting it keeps a final snapshot. The plan's JSON schema checks the shapes first; this checks
 * what only the plan's properties can tell.
 *
 * @param extensions {@code extensions}
 * @param backupWindow {@code backup_window}, {@code hh24:mi-hh24:mi} UTC
 * @param maintenanceWindow {@code maintenance_window}, {@code ddd:hh24:mi-ddd:hh24:mi} UTC
 * @param skipFinalSnapshot {@code skip_final_snapshot}
 */
record RdsParameters(
        List<String> extensions,
        Optional<String> backupWindow,
        Optional<String> maintenanceWindow,
        boolean skipFinalSnapshot) {

    static final Pattern BACKUP_WINDOW = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]");
    static final Pattern MAINTENANCE_WINDOW = Pattern.compile(
            "(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3])"
                    + ":[0-5][0-9]");

    static RdsParameters of(Map<String, Object> parameters) {
        Object extensions = parameters.get("extensions");
        Object skip = parameters.getOrDefault("skip_final_snapshot", false);
        if (!(skip instanceof Boolean)) {
            throw new InvalidParametersException("parameter 'skip_final_snapshot' must be true or false");
        }
        return new RdsParameters(
                extensions instanceof List<?> names
                        ? names.stream().map(String::valueOf).toList()
                        : List.of(),
                text(parameters, "backup_window", BACKUP_WINDOW, "hh24:mi-hh24:mi in UTC, as 03:00-04:00"),
                text(
                        parameters,
                        "maintenance_window",
                        MAINTENANCE_WINDOW,
                        "ddd:hh24:mi-ddd:hh24:mi in UTC, as sun:04:00-sun:05:00"),
                (Boolean) skip);
    }

    /** Refuses extensions the plan does not allow. */
    void check(Plan plan, RdsPlan properties) {
        for (String extension : extensions) {
            if (!properties.allowedExtensions().contains(extension)) {
                throw new InvalidParametersException("extension '" + extension + "' is not allowed on plan '"
                        + plan.name() + "'; allowed: " + properties.allowedExtensions());
            }
        }
    }

    private static Optional<String> text(Map<String, Object> parameters, String name, Pattern pattern, String form) {
        Object value = parameters.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
            throw new InvalidParametersException("parameter '" + name + "' must be " + form);
        }
        return Optional.of(text);
    }
}
