package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.local.opensearch.OpenSearchSnapshots;
import io.paasbroker.provisioner.local.opensearch.OpenSearchTenancy;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

    /**
     * Maps the broker to the domain's {@code manage_snapshots} role first: a domain made before its plan had snapshots
     * (or by an earlier version of the broker) has no such mapping yet.
     */
    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        OpenSearchSnapshots snapshots = provisioner.tenancy(instance).snapshots();
        return abortingOnFailure(snapshots, name, () -> {
            provisioner.allowBrokerSnapshots(OpenSearchDomainProvisioner.plan(instance.plan()), snapshots);
            register(instance, name);
            snapshots.take(name, name, instance.instanceId());
            return polled(instance, snapshots, name);
        });
    }

    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        OpenSearchSnapshots snapshots = provisioner.tenancy(instance).snapshots();
        return abortingOnFailure(snapshots, name, () -> polled(instance, snapshots, name));
    }

    /** The repository is registered again first when an earlier poll deregistered it and its answer was lost. */
    private StepOutcome polled(InstanceRequest instance, OpenSearchSnapshots snapshots, String name) {
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
            case "IN_PROGRESS" -> new StepOutcome.InProgress(name, "OpenSearch Service is taking snapshot " + name);
            default -> throw OpenSearchSnapshots.failed(name, snapshot);
        };
    }

    /**
     * A snapshot that failed is stopped and its repository deregistered before the broker deletes its objects, so
     * that the domain writes no more of them; when the domain cannot be reached, neither can be done.
     */
    private static StepOutcome abortingOnFailure(
            OpenSearchSnapshots snapshots, String name, Supplier<StepOutcome> step) {
        try {
            return step.get();
        } catch (ProvisioningFailedException e) {
            try {
                snapshots.abort(name, name);
                snapshots.deregister(name);
            } catch (RuntimeException unreachable) {
                e.addSuppressed(unreachable);
            }
            throw e;
        }
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
        OpenSearchSnapshots snapshots = tenancy.snapshots();
        Optional<OpenSearchSnapshots.Snapshot> found = snapshots.find(name, name);
        if (found.isEmpty()) {
            repositories.register(plan, provisioner.region(plan), endpoint, name);
            found = snapshots.find(name, name);
        }
        OpenSearchSnapshots.Snapshot snapshot = found.orElseThrow(
                () -> new ProvisioningFailedException("OpenSearch snapshot " + name + " is not in S3 bucket "
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
