package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.aws.AwsPlanRules;
import java.util.function.Predicate;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;

/**
 * The modification that brings an RDS instance to its plan and parameters: only what differs, since RDS refuses a
 * modification that changes nothing, applied at once rather than in the next maintenance window, so an update's
 * operation ends when the instance has changed.
 */
final class RdsModification {

    private RdsModification() {}

    /**
     * The modification, or null when the instance is as the plan and parameters want it already.
     *
     * @param majorVersionParts how many parts of a version of the engine make its major version
     * @param parameterGroup the DB parameter group the plan's instances use
     * @param master adds what moves the master password to where the plan keeps it; whether it added anything
     */
    static ModifyDbInstanceRequest between(
            DBInstance current,
            RdsPlan plan,
            int majorVersionParts,
            RdsParameters parameters,
            String parameterGroup,
            Predicate<ModifyDbInstanceRequest.Builder> master) {
        ModifyDbInstanceRequest.Builder change = ModifyDbInstanceRequest.builder();
        boolean changes = false;
        if (!plan.instanceClass().equals(current.dbInstanceClass())) {
            change.dbInstanceClass(plan.instanceClass());
            changes = true;
        }
        if (current.allocatedStorage() == null || plan.allocatedStorage() > current.allocatedStorage()) {
            change.allocatedStorage(plan.allocatedStorage());
            changes = true;
        }
        if (plan.maxAllocatedStorage() != null && !plan.maxAllocatedStorage().equals(current.maxAllocatedStorage())) {
            change.maxAllocatedStorage(plan.maxAllocatedStorage());
            changes = true;
        }
        if (plan.multiAz() != Boolean.TRUE.equals(current.multiAZ())) {
            change.multiAZ(plan.multiAz());
            changes = true;
        }
        if (plan.namesMinorVersion(majorVersionParts)
                && AwsPlanRules.compareVersions(plan.engineVersion(), current.engineVersion()) > 0) {
            change.engineVersion(plan.engineVersion());
            changes = true;
        }
        if (!plan.backupRetentionDays().equals(current.backupRetentionPeriod())) {
            change.backupRetentionPeriod(plan.backupRetentionDays());
            changes = true;
        }
        String backupWindow = parameters.backupWindow().orElse(plan.backupWindow());
        if (backupWindow != null && !backupWindow.equals(current.preferredBackupWindow())) {
            change.preferredBackupWindow(backupWindow);
            changes = true;
        }
        String maintenanceWindow = parameters.maintenanceWindow().orElse(plan.maintenanceWindow());
        if (maintenanceWindow != null && !maintenanceWindow.equalsIgnoreCase(current.preferredMaintenanceWindow())) {
            change.preferredMaintenanceWindow(maintenanceWindow);
            changes = true;
        }
        if (current.dbParameterGroups().stream()
                .noneMatch(group -> group.dbParameterGroupName().equals(parameterGroup))) {
            change.dbParameterGroupName(parameterGroup);
            changes = true;
        }
        if (plan.deletionProtection() != Boolean.TRUE.equals(current.deletionProtection())) {
            change.deletionProtection(plan.deletionProtection());
            changes = true;
        }
        if (master.test(change)) {
            changes = true;
        }
        if (!changes) {
            return null;
        }
        return change.dbInstanceIdentifier(current.dbInstanceIdentifier())
                .applyImmediately(true)
                .build();
    }
}
