package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.aws.AwsPlanRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user may choose of an RDS instance, within its plan: extensions among the plan's (PostgreSQL's: see
 * {@link RdsEngine#checkParameters}), the backup and maintenance
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
                AwsPlanRules.optionalText(
                        parameters, "backup_window", AwsPlanRules.DAILY_WINDOW, AwsPlanRules.DAILY_FORM),
                AwsPlanRules.optionalText(
                        parameters, "maintenance_window", AwsPlanRules.WEEKLY_WINDOW, AwsPlanRules.WEEKLY_FORM),
                (Boolean) skip);
    }
}
