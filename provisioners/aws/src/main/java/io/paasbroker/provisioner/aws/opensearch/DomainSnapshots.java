package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.local.opensearch.OpenSearchSnapshots;
import io.paasbroker.provisioner.local.opensearch.OpenSearchTenancy;
import java.util.Map;
import java.util.Optional;

/**
 * OpenSearch Service's manual snapshots of an instance's indices, for plans with a snapshot bucket: each in a
 * repository of its own ({@link SnapshotRepositories}), registered on the domain while the snapshot is taken or
 * restored and deregistered once it is done, so that the domain holds no repository between backups and a snapshot
 * lives on after its domain. A restore makes a new domain, then restores the indices under the new instance's prefix.
 */
final class DomainSnapshots implements InstanceSnapshots {

    private final OpenSearchDomainProvisioner provisioner;
    private final SnapshotRepositories repositories;

    DomainSnapshots(OpenSearchDomainProvisioner provisioner, SnapshotRepositories repositories) {
        this.provisioner = provisioner;
        this.repositories = repositories;
    }

    @Override
    public String format() {
        return "opensearch-service-snapshot/1";
    }

    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        OpenSearchTenancy tenancy = provisioner.tenancy(instance);
        register(instance, name);
        tenancy.snapshots().take(name, name, instance.instanceId());
        return pollSnapshot(instance, name);
    }

    /** The repository is registered again first when an earlier poll deregistered it and its answer was lost. */
    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        OpenSearchSnapshots snapshots = provisioner.tenancy(instance).snapshots();
        Optional<OpenSearchSnapshots.Snapshot> found = snapshots.find(name, name);
        if (found.isEmpty()) {
            register(instance, name);
            found = snapshots.find(name, name);
        }
        OpenSearchSnapshots.Snapshot snapshot = found.orElseThrow(() -> new ProvisioningFailedException(
                "OpenSearch snapshot " + name + " is not in its repository: it was deleted"));
        return switch (snapshot.state()) {
            case "SUCCESS" -> {
                snapshots.deregister(name);
                yield StepOutcome.Completed.with(Map.of("snapshot", name));
            }
            case "IN_PROGRESS", "INIT", "STARTED" ->
                new StepOutcome.InProgress(name, "OpenSearch Service is taking snapshot " + name);
            default -> {
                snapshots.deregister(name);
                throw OpenSearchSnapshots.failed(name, snapshot);
            }
        };
    }

    /** Deletes the snapshot's objects from the bucket it is in, whether its domain exists or not. */
    @Override
    public void deleteSnapshot(String name) {
        repositories.delete(name);
    }

    @Override
    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
        return provisioner.restore(into, name);
    }

    /**
     * Restores the snapshot into the new instance's domain, reached at {@code endpoint}, once it is active: its
     * indices and aliases under the instance's prefix. Empty once every index is back.
     */
    Optional<StepOutcome> restoring(InstanceRequest into, OpenSearchTenancy tenancy, String endpoint, String name) {
        DomainPlan plan = OpenSearchDomainProvisioner.plan(into.plan());
        repositories.register(plan, provisioner.region(plan), endpoint, name);
        OpenSearchSnapshots snapshots = tenancy.snapshots();
        OpenSearchSnapshots.Snapshot snapshot = snapshots
                .find(name, name)
                .orElseThrow(() ->
                        new ProvisioningFailedException("OpenSearch snapshot " + name + " is not in S3" + " bucket "
                                + plan.snapshotBucket() + ": it was deleted, or is kept in another plan's bucket"));
        if (!snapshot.state().equals("SUCCESS")) {
            throw OpenSearchSnapshots.failed(name, snapshot);
        }
        snapshots.startRestore(name, snapshot, name, into.instanceId());
        if (!snapshots.restored(snapshot, into.instanceId())) {
            return Optional.of(new StepOutcome.InProgress(
                    OpenSearchDomainProvisioner.Progress.RESTORE.reference(name),
                    "OpenSearch Service is restoring snapshot " + name));
        }
        snapshots.deregister(name);
        return Optional.empty();
    }

    private void register(InstanceRequest instance, String name) {
        DomainPlan plan = OpenSearchDomainProvisioner.plan(instance.plan());
        repositories.register(plan, provisioner.region(plan), instance.outputs().get("endpoint"), name);
    }
}
