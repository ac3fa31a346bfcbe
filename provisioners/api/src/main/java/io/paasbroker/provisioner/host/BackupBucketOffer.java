package io.paasbroker.provisioner.host;

import java.util.Optional;

/** A provisioner module's offer of a bucket for the broker's backups, taken when the operator configured none. */
public interface BackupBucketOffer {

    Optional<BackupBucket> backupBucket();
}
