package io.paasbroker.provisioner.aws.s3;

import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.local.s3.ObjectStream;
import io.paasbroker.provisioner.local.s3.S3ObjectStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Streamed backups of an instance's bucket through S3's own API, in the format the broker's own S3 server's backups
 * have ({@link S3ObjectStream}): every object's bytes and metadata out, and into the new instance's bucket. The broker
 * encrypts and keeps the stream as it does every streamed backup.
 */
final class BucketBackups implements InstanceBackups {

    private final S3BucketProvisioner provisioner;

    BucketBackups(S3BucketProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public String format() {
        return S3ObjectStream.FORMAT;
    }

    /** An object deleted between listing and reading is left out, as it would be a moment later. */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        S3Client s3 = provisioner.s3(instance);
        String bucket = provisioner.bucket(instance.instanceId());
        DataOutputStream data = new DataOutputStream(out);
        ObjectStream.run("backing up", () -> {
            S3ObjectStream.start(data);
            for (S3Object object : AwsCalls.call(
                    "listing the objects of S3 bucket " + bucket,
                    () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents())) {
                try (ResponseInputStream<GetObjectResponse> blob = AwsCalls.call(
                        "reading object " + object.key() + " of S3 bucket " + bucket,
                        () -> s3.getObject(b -> b.bucket(bucket).key(object.key())))) {
                    S3ObjectStream.write(data, object.key(), blob);
                } catch (ProvisioningFailedException e) {
                    if (!(e.getCause() instanceof NoSuchKeyException)) {
                        throw e; // one deleted since it was listed is left out
                    }
                }
            }
            S3ObjectStream.end(data);
        });
    }

    /**
     * Into the new instance's empty bucket; a restore that fails part-way deletes what it wrote, so the instance can be
     * deleted whatever its plan says of buckets that hold objects.
     */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        S3Client s3 = provisioner.s3(instance);
        String bucket = provisioner.bucket(instance.instanceId());
        try {
            ObjectStream.run(
                    "restoring",
                    () -> S3ObjectStream.read(
                            new DataInputStream(in), bucket, key -> false, (object, body) -> put(s3, object, body)));
        } catch (RuntimeException e) {
            try {
                provisioner.deleteObjects(instance);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void put(S3Client s3, PutObjectRequest object, InputStream body) {
        AwsCalls.call(
                "writing object " + object.key() + " of S3 bucket " + object.bucket(),
                () -> s3.putObject(object, RequestBody.fromInputStream(body, object.contentLength())));
    }
}
