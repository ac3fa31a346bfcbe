package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsRegions;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;

/**
 * RDS's own snapshots of an instance's RDS instance, under the names the broker gives: taken on request (the broker's
 * schedule, {@code {"backup": "now"}}), kept by RDS, deleted when they expire, restored into a new RDS instance.
 */
final class RdsSnapshots implements InstanceSnapshots {

    private final RdsProvisioner provisioner;
    private final String format;

    RdsSnapshots(RdsProvisioner provisioner, String format) {
        this.provisioner = provisioner;
        this.format = format;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        RdsPlan plan = RdsProvisioner.plan(instance.plan());
        String id = provisioner.identifier(instance.instanceId());
        try {
            RdsCalls.whenAvailable(
                    "taking snapshot " + name + " of RDS instance " + id,
                    () -> provisioner
                            .rds(plan)
                            .createDBSnapshot(b -> b.dbSnapshotIdentifier(name)
                                    .dbInstanceIdentifier(id)
                                    .tags(provisioner.tags(instance))));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof DbSnapshotAlreadyExistsException)) {
                throw e;
            }
        }
        return pollSnapshot(instance, name);
    }

    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        DBSnapshot snapshot = describe(provisioner.rds(RdsProvisioner.plan(instance.plan())), name);
        return switch (snapshot.status()) {
            case "available" -> StepOutcome.Completed.with(Map.of("snapshot", name));
            case "failed", "incompatible-restore", "deleted" ->
                throw new ProvisioningFailedException("RDS snapshot " + name + " is " + snapshot.status());
            default -> new StepOutcome.InProgress(name, "RDS snapshot " + name + " is " + snapshot.status());
        };
    }

    /** Deletes the snapshot wherever a plan's account and region has it; one that is nowhere is no error. */
    @Override
    public void deleteSnapshot(String name) {
        for (AwsRegions.AccountRegion where : provisioner.regions()) {
            try {
                AwsCalls.call(
                        "deleting RDS snapshot " + name,
                        () -> provisioner.rds(where).deleteDBSnapshot(b -> b.dbSnapshotIdentifier(name)));
                return;
            } catch (ProvisioningFailedException e) {
                if (e.getCause() instanceof InvalidDbSnapshotStateException) {
                    throw new BackingServiceUnavailableException(
                            "RDS snapshot " + name + " is still being taken; it is deleted once it is done", e);
                }
                if (!(e.getCause() instanceof DbSnapshotNotFoundException)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
        return provisioner.restore(into, name);
    }

    private static DBSnapshot describe(RdsClient rds, String name) {
        try {
            return AwsCalls.call(
                            "reading RDS snapshot " + name,
                            () -> rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(name)))
                    .dbSnapshots()
                    .get(0);
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof DbSnapshotNotFoundException) {
                throw new ProvisioningFailedException("RDS snapshot " + name + " is gone", e);
            }
            throw e;
        }
    }
}
