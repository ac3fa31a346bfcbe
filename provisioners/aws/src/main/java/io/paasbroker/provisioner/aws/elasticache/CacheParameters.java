package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.aws.AwsPlanRules;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a user may choose of a replication group, within its plan: the eviction policy among those the plan allows,
 * the snapshot and maintenance windows, and whether deleting it keeps a final snapshot.
 *
 * @param maxmemoryPolicy {@code maxmemory_policy}
 * @param snapshotWindow {@code snapshot_window}, {@code hh24:mi-hh24:mi} UTC
 * @param maintenanceWindow {@code maintenance_window}, {@code ddd:hh24:mi-ddd:hh24:mi} UTC
 * @param skipFinalSnapshot {@code skip_final_snapshot}
 */
record CacheParameters(
        Optional<String> maxmemoryPolicy,
        Optional<String> snapshotWindow,
        Optional<String> maintenanceWindow,
        boolean skipFinalSnapshot) {

    static final Pattern POLICY = Pattern.compile("(volatile|allkeys)-(lru|lfu|random)|volatile-ttl|noeviction");

    static CacheParameters of(Map<String, Object> parameters) {
        Object skip = parameters.getOrDefault("skip_final_snapshot", false);
        if (!(skip instanceof Boolean)) {
            throw new InvalidParametersException("parameter 'skip_final_snapshot' must be true or false");
        }
        return new CacheParameters(
                AwsPlanRules.optionalText(
                        parameters, "maxmemory_policy", POLICY, "one of Redis's maxmemory policies, as allkeys-lru"),
                AwsPlanRules.optionalText(
                        parameters, "snapshot_window", AwsPlanRules.DAILY_WINDOW, AwsPlanRules.DAILY_FORM),
                AwsPlanRules.optionalText(
                        parameters, "maintenance_window", AwsPlanRules.WEEKLY_WINDOW, AwsPlanRules.WEEKLY_FORM),
                (Boolean) skip);
    }

    /** Refuses an eviction policy the plan does not allow (its own default is always allowed). */
    void check(Plan plan, CachePlan properties) {
        maxmemoryPolicy.ifPresent(policy -> {
            if (!policy.equals(properties.maxmemoryPolicy())
                    && !properties.allowedMaxmemoryPolicies().contains(policy)) {
                throw new InvalidParametersException("maxmemory_policy '" + policy + "' is not allowed on plan '"
                        + plan.name() + "'; allowed: " + properties.allowedMaxmemoryPolicies());
            }
        });
    }

    /** The eviction policy the group runs with: the user's, or the plan's. */
    String policy(CachePlan plan) {
        return maxmemoryPolicy.orElse(plan.maxmemoryPolicy());
    }
}
