package io.paasbroker.provisioner.local.s3;

/**
 * An access key pair of one binding and what it reaches: one bucket in one instance's storage namespace, read-only or
 * not. {@link #toString()} leaves the secret out.
 */
public record S3AccessKey(
        String bindingId,
        String accessKeyId,
        String secretAccessKey,
        String namespace,
        String bucket,
        boolean readOnly) {

    @Override
    public String toString() {
        return "S3AccessKey[" + accessKeyId + " of binding " + bindingId + " on " + namespace + "/" + bucket
                + (readOnly ? ", read-only" : "") + "]";
    }
}
