package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsRegions;
import java.util.Map;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.InvalidSnapshotStateException;
import software.amazon.awssdk.services.elasticache.model.Snapshot;
import software.amazon.awssdk.services.elasticache.model.SnapshotAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.SnapshotNotFoundException;

/**
 * ElastiCache's own snapshots of an instance's replication group, under the names the broker gives: taken on request
 * (the broker's schedule, {@code {"backup": "now"}}), kept by ElastiCache, deleted when they expire, restored into a
 * new replication group whose users are the new instance's own (a snapshot holds data, not users).
 */
final class CacheSnapshots implements InstanceSnapshots {

    private final ElastiCacheRedisProvisioner provisioner;

    CacheSnapshots(ElastiCacheRedisProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public String format() {
        return "elasticache-redis-snapshot/1";
    }

    /** A group busy with another change (or the nightly snapshot) is waited for. */
    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        CachePlan plan = ElastiCacheRedisProvisioner.plan(instance.plan());
        String id = provisioner.replicationGroupId(instance.instanceId());
        try {
            CacheCalls.whenAvailable(
                    "taking snapshot " + name + " of ElastiCache replication group " + id,
                    () -> provisioner
                            .cache(plan)
                            .createSnapshot(b ->
                                    b.snapshotName(name).replicationGroupId(id).tags(provisioner.tags(instance))));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof SnapshotAlreadyExistsException)) {
                throw e;
            }
        }
        return pollSnapshot(instance, name);
    }

    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        Snapshot snapshot = describe(provisioner.cache(ElastiCacheRedisProvisioner.plan(instance.plan())), name);
        return switch (snapshot.snapshotStatus()) {
            case "available" -> StepOutcome.Completed.with(Map.of("snapshot", name));
            case "failed", "deleting" ->
                throw new ProvisioningFailedException(
                        "ElastiCache snapshot " + name + " is " + snapshot.snapshotStatus());
            default ->
                new StepOutcome.InProgress(name, "ElastiCache snapshot " + name + " is " + snapshot.snapshotStatus());
        };
    }

    /** Deletes the snapshot wherever a plan's account and region has it; one that is nowhere is no error. */
    @Override
    public void deleteSnapshot(String name) {
        for (AwsRegions.AccountRegion where : provisioner.regions()) {
            try {
                AwsCalls.call(
                        "deleting ElastiCache snapshot " + name,
                        () -> provisioner.cache(where).deleteSnapshot(b -> b.snapshotName(name)));
                return;
            } catch (ProvisioningFailedException e) {
                if (e.getCause() instanceof InvalidSnapshotStateException) {
                    throw new BackingServiceUnavailableException(
                            "ElastiCache snapshot " + name + " is still being taken; it is deleted once it is done", e);
                }
                if (!(e.getCause() instanceof SnapshotNotFoundException)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
        return provisioner.restore(into, name);
    }

    private static Snapshot describe(ElastiCacheClient cache, String name) {
        try {
            return AwsCalls.call(
                            "reading ElastiCache snapshot " + name,
                            () -> cache.describeSnapshots(b -> b.snapshotName(name)))
                    .snapshots()
                    .get(0);
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof SnapshotNotFoundException) {
                throw new ProvisioningFailedException("ElastiCache snapshot " + name + " is gone", e);
            }
            throw e;
        }
    }
}
