package io.paasbroker.provisioner.local.s3;

/**
 * The provisioner properties of a local S3 plan.
 *
 * @param deleteNonEmptyBuckets whether deprovisioning deletes a bucket that still holds objects; by default it fails
 *     and says so, so that no tenant's data is deleted silently
 */
record LocalS3Plan(Boolean deleteNonEmptyBuckets) {

    boolean deletesObjects() {
        return Boolean.TRUE.equals(deleteNonEmptyBuckets);
    }
}
