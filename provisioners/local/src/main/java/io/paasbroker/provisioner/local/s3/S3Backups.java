package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The objects of an instance's bucket with their metadata, read from its namespace's store, and written into another
 * instance's bucket, replacing objects of the same key, as an {@link S3ObjectStream}.
 */
final class S3Backups implements InstanceBackups {

    private final S3Namespaces namespaces;

    S3Backups(S3Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public String format() {
        return S3ObjectStream.FORMAT;
    }

    /** An object deleted between listing and reading is left out, as it would be a moment later. */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        String bucket = S3Names.bucket(instance.instanceId());
        BlobStore store = store(instance, "backing up");
        DataOutputStream data = new DataOutputStream(out);
        guarded("backing up", () -> {
            S3ObjectStream.start(data);
            Iterable<String> keys = BucketObjects.keys(store, bucket)::iterator;
            for (String key : keys) {
                writeObject(store, bucket, key, data);
            }
            S3ObjectStream.end(data);
        });
    }

    /**
     * Into the new instance's empty bucket; a restore that fails part-way removes what it wrote, so the instance can
     * be deleted whatever its plan says of buckets that hold objects.
     */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        String bucket = S3Names.bucket(instance.instanceId());
        BlobStore store = store(instance, "restoring");
        try {
            restoreInto(store, bucket, new DataInputStream(in));
        } catch (RuntimeException e) {
            try {
                guarded("removing what the failed restore wrote", () -> empty(store, bucket));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void empty(BlobStore store, String bucket) {
        BucketObjects.keys(store, bucket).forEach(key -> store.removeBlob(bucket, key));
    }

    private static void restoreInto(BlobStore store, String bucket, DataInputStream data) {
        guarded(
                "restoring",
                () -> S3ObjectStream.read(
                        data,
                        bucket,
                        // written by a broker that still backed up unfinished uploads
                        BucketObjects::isUnfinishedUpload,
                        (object, body) -> store.putBlob(object, body)));
    }

    private static void writeObject(BlobStore store, String bucket, String key, DataOutputStream data)
            throws IOException {
        try (ResponseInputStream<GetObjectResponse> blob = store.getBlob(bucket, key)) {
            if (blob != null) {
                S3ObjectStream.write(data, key, blob);
            }
        } catch (NoSuchKeyException deletedSinceListed) {
            // left out
        }
    }

    private BlobStore store(InstanceRequest instance, String doing) {
        String namespace = S3Names.namespace(instance.instanceId());
        String bucket = S3Names.bucket(instance.instanceId());
        if (!namespaces.exists(namespace) || !namespaces.store(namespace).containerExists(bucket)) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: bucket " + bucket + " does not exist");
        }
        return namespaces.store(namespace);
    }

    /** The store is local: whatever fails, trying again does not help. */
    private static void guarded(String doing, ObjectStream.Step step) {
        try {
            ObjectStream.run(doing, step);
        } catch (ProvisionerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: " + ServerFailures.rootReason(e), e);
        }
    }
}
