package io.paasbroker.provisioner;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies the data of one instance out to a stream and back into another instance, for a provisioner that can. A
 * backup reads only its instance's data, with the instance's own scope (its database, key prefix, bucket, indices),
 * and is written as it is read: never whole in memory. The broker encrypts, checksums and stores what is written.
 */
public interface InstanceBackups {

    /**
     * What the stream holds, with a version ({@code pg_dump-custom/1}): a restore refuses a backup of another format,
     * so a change of format is a new name.
     */
    String format();

    /**
     * Writes the instance's data to {@code out}; does not close it. A failure of the backing service is a {@link
     * BackingServiceUnavailableException} or {@link ProvisioningFailedException}, and what was written so far is
     * worthless.
     */
    void backup(InstanceRequest instance, OutputStream out);

    /**
     * Loads a backup of the same {@link #format()} into {@code instance}, which was provisioned for it and may hold
     * what an earlier, interrupted restore loaded: the restore replaces it, so a repeated restore ends in the same
     * state. Does not close {@code in}.
     */
    void restore(InstanceRequest instance, InputStream in);
}
