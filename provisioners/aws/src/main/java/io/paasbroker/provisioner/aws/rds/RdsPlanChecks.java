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
    /** RDS's storage range on general-purpose SSD, GiB, for PostgreSQL, MySQL and MariaDB alike. */
    private static final int MIN_STORAGE = 20;

    private static final int MAX_STORAGE = 65536;

    private final AwsClients clients;
    private final RdsEngine engine;

    RdsPlanChecks(AwsClients clients, RdsEngine engine) {
        this.clients = clients;
        this.engine = engine;
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
                name + "engine_version must be a version such as 16, 16.4 or 8.0");
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
                properties.masterUserSecretKmsKeyId() == null || properties.manageMasterUserPassword(),
                name + "master_user_secret_kms_key_id needs manage_master_user_password: true");
        require(
                AwsPlanRules.absentOr(AwsPlanRules.DAILY_WINDOW, properties.backupWindow()),
                name + "backup_window must be hh24:mi-hh24:mi in UTC");
        require(
                AwsPlanRules.absentOr(AwsPlanRules.WEEKLY_WINDOW, properties.maintenanceWindow()),
                name + "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC");
        engine.checkPlan(name, properties);
    }

    /**
     * Refuses what RDS refuses or what would lose data: another account or region (the data would have to move),
     * less storage, another encryption (of the data, or of a master password RDS manages), another major version (an upgrade of its own, not a plan change), an older
     * version.
     */
    void checkPlanChange(RdsPlan from, RdsPlan to) {
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
                !(from.manageMasterUserPassword() && to.manageMasterUserPassword())
                        || Objects.equals(from.masterUserSecretKmsKeyId(), to.masterUserSecretKmsKeyId()),
                "RDS cannot move the master password it manages to another KMS key: choose a plan with the same"
                        + " master_user_secret_kms_key_id");
        refuseUnless(
                engine.engine(from).equals(engine.engine(to)),
                "RDS cannot turn " + engine.displayName(from) + " into " + engine.displayName(to)
                        + ": restore a backup into an instance of the other plan");
        int major = engine.majorVersionParts();
        refuseUnless(
                from.majorVersion(major).equals(to.majorVersion(major)),
                "a plan change does not upgrade " + engine.displayName(from) + " " + from.majorVersion(major) + " to "
                        + to.majorVersion(major) + ": a major upgrade needs testing of its own; restore a backup into"
                        + " an instance of the other plan");
        refuseUnless(
                AwsPlanRules.compareVersions(to.engineVersion(), from.engineVersion()) >= 0,
                "RDS cannot downgrade " + engine.displayName(from) + " " + from.engineVersion() + " to "
                        + to.engineVersion());
    }
}
