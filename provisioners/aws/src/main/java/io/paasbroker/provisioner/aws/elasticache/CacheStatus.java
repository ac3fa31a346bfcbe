package io.paasbroker.provisioner.aws.elasticache;

import java.util.Map;

/**
 * What each status ElastiCache reports of a replication group means for a step waiting on it: ready, still working,
 * or broken in a way only a person can mend (then the step fails, saying what to do). A status ElastiCache adds later
 * counts as working: the step keeps polling until its deadline rather than failing a group that may be fine.
 */
enum CacheStatus {
    WORKING,
    READY,
    BROKEN;

    private static final Map<String, String> REMEDIES = Map.of(
            "create-failed",
            "ElastiCache could not make the replication group (capacity, subnet group or KMS key); delete the"
                    + " service instance and create it again, or ask the operator to mend the plan's network",
            "restore-failed",
            "ElastiCache could not restore the snapshot into the replication group; delete the service instance and"
                    + " restore again into a new one",
            "incompatible-network",
            "the replication group's subnet group has no free address or a subnet is gone; the operator must mend the"
                    + " subnet group");

    static CacheStatus of(String status) {
        if (status.equals("available")) {
            return READY;
        }
        return REMEDIES.containsKey(status) ? BROKEN : WORKING;
    }

    static String remedy(String status) {
        return REMEDIES.getOrDefault(status, "");
    }
}
