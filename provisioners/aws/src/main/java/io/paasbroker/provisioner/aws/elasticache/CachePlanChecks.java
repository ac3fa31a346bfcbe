package io.paasbroker.provisioner.aws.elasticache;

import static io.paasbroker.provisioner.aws.AwsPlanRules.refuseUnless;
import static io.paasbroker.provisioner.aws.AwsPlanRules.require;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.aws.AwsPlanRules;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What ElastiCache would refuse of a plan, or of a change between two plans, found before AWS is asked: at start-up
 * for a plan, with 422 for a plan change ElastiCache cannot make in place.
 */
final class CachePlanChecks {

    private static final Set<String> ENGINES = Set.of("redis", "valkey");
    private static final Pattern ENGINE_VERSION = Pattern.compile("[0-9]{1,2}\\.[0-9]{1,2}");
    private static final Pattern NODE_TYPE = Pattern.compile("cache\\.[a-z0-9]+\\.[a-z0-9]+");

    private CachePlanChecks() {}

    /** {@code configured}: whether the plan's account is one of the broker's. */
    static void checkPlan(Plan plan, CachePlan properties, boolean configured) {
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        require(
                configured,
                name + "account '" + properties.account() + "' is not configured (paasbroker.aws.accounts)");
        require(ENGINES.contains(properties.engine()), name + "engine must be redis or valkey");
        require(
                properties.engineVersion() != null
                        && ENGINE_VERSION.matcher(properties.engineVersion()).matches(),
                name + "engine_version must be a major and minor version such as 7.1");
        require(
                properties.nodeType() != null
                        && NODE_TYPE.matcher(properties.nodeType()).matches(),
                name + "node_type must be an ElastiCache node type such as cache.t4g.micro");
        require(properties.replicas() >= 0 && properties.replicas() <= 5, name + "replicas must be 0 to 5");
        require(
                !properties.highAvailability() || properties.replicas() >= 1,
                name + "high_availability (automatic failover and Multi-AZ) needs at least one replica");
        require(
                properties.kmsKeyId() == null || properties.atRestEncryption(),
                name + "kms_key_id needs at_rest_encryption: true");
        require(
                properties.snapshotRetentionDays() >= 0 && properties.snapshotRetentionDays() <= 35,
                name + "snapshot_retention_days must be 0 to 35");
        require(
                AwsPlanRules.absentOr(AwsPlanRules.DAILY_WINDOW, properties.snapshotWindow()),
                name + "snapshot_window must be " + AwsPlanRules.DAILY_FORM);
        require(
                AwsPlanRules.absentOr(AwsPlanRules.WEEKLY_WINDOW, properties.maintenanceWindow()),
                name + "maintenance_window must be " + AwsPlanRules.WEEKLY_FORM);
        require(
                CacheParameters.POLICY.matcher(properties.maxmemoryPolicy()).matches()
                        && properties.allowedMaxmemoryPolicies().stream()
                                .allMatch(policy ->
                                        CacheParameters.POLICY.matcher(policy).matches()),
                name + "maxmemory_policy and allowed_maxmemory_policies must be Redis's policies, as allkeys-lru");
    }

    /**
     * Refuses what ElastiCache cannot change in place, or would lose data for: another account or region, another
     * engine or major version, encryption at rest, an older version.
     */
    static void checkPlanChange(CachePlan from, CachePlan to) {
        refuseUnless(
                from.account().equals(to.account()) && Objects.equals(from.region(), to.region()),
                "the instance's data cannot move to another AWS account or region: create an instance of the other"
                        + " plan and restore a backup into it");
        refuseUnless(
                from.family().equals(to.family()),
                "a plan change does not move " + from.family() + " to " + to.family()
                        + ": restore a backup into an instance of the other plan");
        refuseUnless(
                AwsPlanRules.compareVersions(to.engineVersion(), from.engineVersion()) >= 0,
                "ElastiCache cannot downgrade " + from.engine() + " " + from.engineVersion() + " to "
                        + to.engineVersion());
        refuseUnless(
                from.atRestEncryption() == to.atRestEncryption() && Objects.equals(from.kmsKeyId(), to.kmsKeyId()),
                "ElastiCache cannot change a replication group's encryption at rest: restore a backup into an"
                        + " instance of the other plan");
    }
}
