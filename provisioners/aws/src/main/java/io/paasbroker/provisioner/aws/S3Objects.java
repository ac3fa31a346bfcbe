package io.paasbroker.provisioner.aws;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/** The objects of a bucket under a key prefix, a page at a time: listed, and deleted. */
public final class S3Objects {

    /** S3's page of a listing, and what DeleteObjects takes at once. */
    private static final int PAGE = 1000;

    /** Per-key errors of DeleteObjects that S3 may not answer the next time. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("InternalError", "SlowDown", "ServiceUnavailable");

    private S3Objects() {}

    /** Up to a page of the objects under {@code prefix} ({@code ""}: all). */
    public static List<ObjectIdentifier> page(S3Client s3, String bucket, String prefix) {
        return AwsCalls.call(
                        "listing the objects of S3 bucket " + bucket,
                        () -> s3.listObjectsV2(b -> b.bucket(bucket)
                                .prefix(prefix.isEmpty() ? null : prefix)
                                .maxKeys(PAGE)))
                .contents()
                .stream()
                .map(object -> ObjectIdentifier.builder().key(object.key()).build())
                .toList();
    }

    /**
     * Deletes {@code first}, the first page under {@code prefix}, then every page after it. A key S3 refused to
     * delete stops it: the next page would list it again.
     */
    public static void delete(S3Client s3, String bucket, String prefix, List<ObjectIdentifier> first) {
        for (List<ObjectIdentifier> objects = first; !objects.isEmpty(); objects = page(s3, bucket, prefix)) {
            List<ObjectIdentifier> batch = objects;
            DeleteObjectsResponse deleted = AwsCalls.call(
                    "deleting the objects of S3 bucket " + bucket,
                    () -> s3.deleteObjects(
                            b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true))));
            if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
                S3Error refused = deleted.errors().get(0);
                String doing = "deleting object " + refused.key() + " of S3 bucket " + bucket;
                if (TRANSIENT_ERRORS.contains(refused.code())) {
                    throw new BackingServiceUnavailableException(doing + ": S3 answered " + refused.code(), null);
                }
                throw new ProvisioningFailedException(doing + " was refused: " + refused.code() + " "
                        + refused.message() + " (" + deleted.errors().size() + " objects not deleted)");
            }
        }
    }
}
