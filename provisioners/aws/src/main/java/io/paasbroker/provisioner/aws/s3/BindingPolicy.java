package io.paasbroker.provisioner.aws.s3;

/**
 * The inline IAM policy of a binding's user: the instance's bucket and its objects, nothing else. A read-only binding
 * lists and reads; a read-write one also writes, deletes and uploads in parts. No bucket settings, no other bucket,
 * no listing of buckets.
 */
final class BindingPolicy {

    private BindingPolicy() {}

    static String of(String bucket, boolean readOnly) {
        String bucketActions = readOnly
                ? "\"s3:ListBucket\", \"s3:GetBucketLocation\""
                : "\"s3:ListBucket\", \"s3:GetBucketLocation\", \"s3:ListBucketMultipartUploads\"";
        String objectActions = readOnly
                ? "\"s3:GetObject\""
                : "\"s3:GetObject\", \"s3:PutObject\", \"s3:DeleteObject\", \"s3:AbortMultipartUpload\","
                        + " \"s3:ListMultipartUploadParts\"";
        return "{\"Version\": \"2012-10-17\", \"Statement\": ["
                + "{\"Effect\": \"Allow\", \"Action\": [" + bucketActions + "], \"Resource\": \"arn:aws:s3:::" + bucket
                + "\"}, "
                + "{\"Effect\": \"Allow\", \"Action\": [" + objectActions + "], \"Resource\": \"arn:aws:s3:::" + bucket
                + "/*\"}]}";
    }
}
