package io.paasbroker.provisioner;

/**
 * Backups the provider keeps (an RDS, ElastiCache or OpenSearch Service snapshot), for a provisioner that can: the
 * data never passes through the broker. The broker names each snapshot and records the name before it is asked for,
 * polls it to its end, deletes it when it expires or when a backup was cut short, and restores it into a new instance.
 * Every method is idempotent: asked again for a name, it adopts what the first call made.
 */
public interface InstanceSnapshots {

    /**
     * What the snapshots are of, with a version ({@code rds-snapshot/1}): a restore refuses a snapshot of another
     * format, so a new instance can only be made from what its provisioner understands.
     */
    String format();

    /** Starts a snapshot of the instance named {@code name}; {@link StepOutcome.Completed} once the provider keeps it. */
    StepOutcome startSnapshot(InstanceRequest instance, String name);

    /** Reads the snapshot {@link #startSnapshot} left in progress. */
    StepOutcome pollSnapshot(InstanceRequest instance, String name);

    /** Deletes the snapshot; one that is gone, or was never made, is no error. */
    void deleteSnapshot(String name);

    /**
     * Starts making the new instance {@code into} from the snapshot: its provision step. What it leaves in progress is
     * read with {@link ServiceProvisioner#poll}, like any provision.
     */
    StepOutcome restoreSnapshot(InstanceRequest into, String name);
}
