package io.paasbroker.provisioner.aws.rds;

import java.util.Map;

/**
 * What each status RDS reports of a DB instance means for a step waiting on it: still working, ready for use, or
 * broken in a way only a person can mend (then the step fails, saying what to do). A status RDS adds later counts as
 * working: the step keeps polling until its deadline rather than failing an instance that may be fine.
 */
enum RdsStatus {
    WORKING,
    READY,
    BROKEN;

    /** Statuses in which the instance serves its data: storage optimization runs for hours behind a usable instance. */
    private static final Map<String, RdsStatus> READY_STATUSES =
            Map.of("available", READY, "storage-optimization", READY);

    /** What a person must do about each broken status. */
    private static final Map<String, String> REMEDIES = Map.ofEntries(
            Map.entry("failed", "RDS could not make or recover the instance; delete it and create a new one"),
            Map.entry(
                    "inaccessible-encryption-credentials",
                    "RDS cannot use the instance's KMS key; the operator must enable the key, and RDS then recovers"
                            + " it, or the instance must be restored from a backup"),
            Map.entry(
                    "inaccessible-encryption-credentials-recoverable",
                    "RDS cannot use the instance's KMS key; the operator must enable the key and start the instance"),
            Map.entry(
                    "incompatible-network",
                    "the instance's subnet group has no free address or a subnet is gone; the operator must mend the"
                            + " subnet group"),
            Map.entry(
                    "incompatible-option-group",
                    "the instance's option group cannot be applied; the operator must mend the option group"),
            Map.entry(
                    "incompatible-parameters",
                    "the instance's parameter group holds values the instance cannot start with; the operator must"
                            + " mend the parameter group"),
            Map.entry("incompatible-restore", "RDS could not restore the instance; restore it again into a new one"),
            Map.entry(
                    "insufficient-capacity",
                    "AWS has no capacity for the plan's instance class in this zone now; try again later or choose"
                            + " another plan"),
            Map.entry("restore-error", "RDS could not restore the instance; restore it again into a new one"),
            Map.entry("storage-full", "the instance's storage is full; update it to a plan with more storage"),
            Map.entry("stopped", "the instance was stopped outside the broker; the operator must start it"),
            Map.entry("stopping", "the instance is being stopped outside the broker; the operator must start it"),
            Map.entry("deleting", "the instance is being deleted outside the broker; delete the service instance too"));

    static RdsStatus of(String status) {
        if (READY_STATUSES.containsKey(status)) {
            return READY;
        }
        return REMEDIES.containsKey(status) ? BROKEN : WORKING;
    }

    /** What to do about a broken status. */
    static String remedy(String status) {
        return REMEDIES.getOrDefault(status, "");
    }
}
