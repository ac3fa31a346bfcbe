package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.aws.Sweeper;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Deletes what one run of a suite left in an account: every RDS instance tagged {@code paasbroker:broker} with the
 * run's prefix (no final snapshot, deletion protection lifted), then, once they are gone, the snapshots of those
 * instances and the run's parameter groups, each kind swept until none is left ({@link Sweeper}): an instance busy
 * when the reaper came (creating, backing up) is deleted once it can be. A live run names its resources with a prefix
 * of its own, so the reaper touches nothing else.
 */
final class RdsReaper {

    private RdsReaper() {}

    /** Deletes the run's leftovers; answers the identifiers of the instances it found. */
    static List<String> reap(RdsClient rds, String prefix) {
        List<String> found = identifiers(rds, prefix);
        Sweeper.sweep(() -> identifiers(rds, prefix), id -> {
            DBInstance instance = rds.describeDBInstances(b -> b.dbInstanceIdentifier(id))
                    .dbInstances()
                    .get(0);
            if (instance.dbInstanceStatus().equals("deleting")) {
                return;
            }
            if (Boolean.TRUE.equals(instance.deletionProtection())) {
                rds.modifyDBInstance(b ->
                        b.dbInstanceIdentifier(id).deletionProtection(false).applyImmediately(true));
            }
            rds.deleteDBInstance(
                    b -> b.dbInstanceIdentifier(id).skipFinalSnapshot(true).deleteAutomatedBackups(true));
        });
        Sweeper.sweep(
                () -> rds.describeDBSnapshotsPaginator(b -> b.snapshotType("manual")).dbSnapshots().stream()
                        .filter(snapshot -> snapshot.dbInstanceIdentifier().startsWith(prefix + "-"))
                        .map(snapshot -> snapshot.dbSnapshotIdentifier())
                        .toList(),
                id -> rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(id)));
        Sweeper.sweep(
                () -> rds.describeDBParameterGroupsPaginator().dbParameterGroups().stream()
                        .map(group -> group.dbParameterGroupName())
                        .filter(name -> name.startsWith(prefix + "-"))
                        .toList(),
                name -> rds.deleteDBParameterGroup(b -> b.dbParameterGroupName(name)));
        return found;
    }

    private static List<String> identifiers(RdsClient rds, String prefix) {
        return ofRun(rds, prefix).stream().map(DBInstance::dbInstanceIdentifier).toList();
    }

    private static List<DBInstance> ofRun(RdsClient rds, String prefix) {
        return rds.describeDBInstancesPaginator().dbInstances().stream()
                .filter(instance -> instance.tagList().stream()
                        .anyMatch(tag -> tag.key().equals(ResourceTags.BROKER)
                                && tag.value().equals(prefix)))
                .toList();
    }
}
