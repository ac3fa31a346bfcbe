package io.paasbroker.provisioner.aws.s3;

/**
 * The provisioner properties of an S3 plan: what each instance's bucket is made with. Block Public Access is always on,
 * and every object is encrypted at rest.
 *
 * @param account the configured AWS account ({@code default} when none is named)
 * @param region the region, when not the account's
 * @param versioning whether the bucket keeps every version of its objects
 * @param kmsKeyId the KMS key objects are encrypted with (SSE-KMS, with a bucket key); none: S3's own keys (SSE-S3)
 * @param deleteNonEmptyBuckets whether deleting an instance deletes the objects its bucket holds; otherwise a
 *     non-empty bucket's deletion is refused, and changes nothing
 */
record BucketPlan(String account, String region, boolean versioning, String kmsKeyId, boolean deleteNonEmptyBuckets) {

    static final String DEFAULT_ACCOUNT = "default";

    BucketPlan {
        account = account == null ? DEFAULT_ACCOUNT : account;
    }
}
