package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.aws.AwsTags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * Deletes what one run of a suite left in an account: every RDS instance tagged {@code paasbroker:broker} with the
 * run's prefix (no final snapshot, deletion protection lifted), then, once they are gone, the snapshots of those
 * instances and the run's parameter groups. A live run names its resources with a prefix of its own, so the reaper
 * touches nothing else.
 */
final class RdsReaper {

    private static final Duration DELETIONS = Duration.ofMinutes(45);

    private RdsReaper() {}

    /** Deletes the run's leftovers; answers the identifiers of the instances it found. */
    static List<String> reap(RdsClient rds, String prefix) {
        List<String> found = ofRun(rds, prefix).stream()
                .map(DBInstance::dbInstanceIdentifier)
                .toList();
        for (DBInstance instance : ofRun(rds, prefix)) {
            String id = instance.dbInstanceIdentifier();
            try {
                if (Boolean.TRUE.equals(instance.deletionProtection())) {
                    rds.modifyDBInstance(b ->
                            b.dbInstanceIdentifier(id).deletionProtection(false).applyImmediately(true));
                }
                rds.deleteDBInstance(
                        b -> b.dbInstanceIdentifier(id).skipFinalSnapshot(true).deleteAutomatedBackups(true));
            } catch (InvalidDbInstanceStateException | DbInstanceNotFoundException e) {
                // being deleted, or busy: the wait below sees it go, or the next reap deletes it
            }
        }
        Instant deadline = Instant.now().plus(DELETIONS);
        while (!ofRun(rds, prefix).isEmpty() && Instant.now().isBefore(deadline)) {
            pause();
        }
        rds.describeDBSnapshotsPaginator(b -> b.snapshotType("manual")).dbSnapshots().stream()
                .filter(snapshot -> snapshot.dbInstanceIdentifier().startsWith(prefix + "-"))
                .forEach(
                        snapshot -> rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(snapshot.dbSnapshotIdentifier())));
        rds.describeDBParameterGroupsPaginator().dbParameterGroups().stream()
                .filter(group -> group.dbParameterGroupName().startsWith(prefix + "-"))
                .forEach(
                        group -> rds.deleteDBParameterGroup(b -> b.dbParameterGroupName(group.dbParameterGroupName())));
        return found;
    }

    private static List<DBInstance> ofRun(RdsClient rds, String prefix) {
        return rds.describeDBInstancesPaginator().dbInstances().stream()
                .filter(instance -> instance.tagList().stream()
                        .anyMatch(tag ->
                                tag.key().equals(AwsTags.BROKER) && tag.value().equals(prefix)))
                .toList();
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
