package io.paasbroker.provisioner.aws.rds;

import static io.paasbroker.provisioner.aws.AwsPlanRules.refuseUnless;
import static io.paasbroker.provisioner.aws.AwsPlanRules.require;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.AwsPlanRules;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What RDS would refuse of a plan, or of a change between two plans, found before anything is asked of AWS: at start-up
 * for a plan, with 422 for a plan change (a change RDS cannot make, or can make only by losing data).
 */
final class RdsPlanChecks {

    private static final Pattern ENGINE_VERSION = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){0,2}");
    private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,62}");
    /** RDS for PostgreSQL's storage range on general-purpose SSD, GiB. */
    private static final int MIN_STORAGE = 20;

    private static final int MAX_STORAGE = 65536;

    private final AwsClients clients;

    RdsPlanChecks(AwsClients clients) {
        this.clients = clients;
    }

    void checkPlan(Plan plan, RdsPlan properties) {
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        if (!clients.hasAccount(properties.account())) {
            throw new InvalidPlanException(name + "account '" + properties.account() + "' is not configured"
                    + " (paasbroker.aws.accounts); configured: "
                    + clients.accounts().keySet());
        }
        require(
                properties.engineVersion() != null
                        && ENGINE_VERSION.matcher(properties.engineVersion()).matches(),
                name + "engine_version must be a version such as 16 or 16.4");
        require(
                properties.instanceClass() != null
                        && INSTANCE_CLASS.matcher(properties.instanceClass()).matches(),
                name + "instance_class must be an RDS instance class such as db.t4g.micro");
        Integer storage = properties.allocatedStorage();
        require(
                storage != null && storage >= MIN_STORAGE && storage <= MAX_STORAGE,
                name + "allocated_storage must be " + MIN_STORAGE + " to " + MAX_STORAGE + " GiB");
        require(
                properties.maxAllocatedStorage() == null
                        || (properties.maxAllocatedStorage() > storage
                                && properties.maxAllocatedStorage() <= MAX_STORAGE),
                name + "max_allocated_storage must be more than allocated_storage, at most " + MAX_STORAGE + " GiB");
        require(
                properties.backupRetentionDays() >= 0 && properties.backupRetentionDays() <= 35,
                name + "backup_retention_days must be 0 to 35");
        require(
                properties.kmsKeyId() == null || properties.storageEncrypted(),
                name + "kms_key_id needs storage_encrypted: true");
        require(
                AwsPlanRules.absentOr(AwsPlanRules.DAILY_WINDOW, properties.backupWindow()),
                name + "backup_window must be hh24:mi-hh24:mi in UTC");
        require(
                AwsPlanRules.absentOr(AwsPlanRules.WEEKLY_WINDOW, properties.maintenanceWindow()),
                name + "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC");
        require(
                properties.connectionLimit() == null || properties.connectionLimit() >= 1,
                name + "connection_limit must be at least 1");
        for (String extension : properties.allowedExtensions()) {
            require(EXTENSION_NAME.matcher(extension).matches(), name + "'" + extension + "' is no extension name");
        }
        for (String extension : properties.defaultExtensions()) {
            require(
                    properties.allowedExtensions().contains(extension),
                    name + "default extension '" + extension + "' is not among its allowed_extensions");
        }
    }

    /**
     * Refuses what RDS refuses or what would lose data: another account or region (the data would have to move),
     * less storage, another encryption, another major version (an upgrade of its own, not a plan change), an older
     * version.
     */
    static void checkPlanChange(RdsPlan from, RdsPlan to) {
        refuseUnless(
                from.account().equals(to.account()) && Objects.equals(from.region(), to.region()),
                "the instance's data cannot move to another AWS account or region: create an instance of the other"
                        + " plan and copy the data");
        refuseUnless(
                to.allocatedStorage() >= from.allocatedStorage(),
                "RDS cannot shrink an instance's storage (" + from.allocatedStorage() + " GiB to "
                        + to.allocatedStorage() + " GiB): choose a plan with at least as much");
        refuseUnless(
                from.storageEncrypted() == to.storageEncrypted() && Objects.equals(from.kmsKeyId(), to.kmsKeyId()),
                "RDS cannot change an existing instance's encryption at rest: restore a backup into an instance of"
                        + " the other plan");
        refuseUnless(
                from.majorVersion().equals(to.majorVersion()),
                "a plan change does not upgrade PostgreSQL " + from.majorVersion() + " to " + to.majorVersion()
                        + ": a major upgrade needs testing of its own; restore a backup into an instance of the"
                        + " other plan");
        refuseUnless(
                AwsPlanRules.compareVersions(to.engineVersion(), from.engineVersion()) >= 0,
                "RDS cannot downgrade PostgreSQL " + from.engineVersion() + " to " + to.engineVersion());
    }
}
