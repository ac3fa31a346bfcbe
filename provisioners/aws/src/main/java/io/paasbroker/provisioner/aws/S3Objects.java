package io.paasbroker.provisioner.aws;

import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/** The objects of a bucket under a key prefix, a page at a time: listed, and deleted. */
public final class S3Objects {

    /** S3's page of a listing, and what DeleteObjects takes at once. */
    private static final int PAGE = 1000;

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

    /** Deletes {@code first}, the first page under {@code prefix}, then every page after it. */
    public static void delete(S3Client s3, String bucket, String prefix, List<ObjectIdentifier> first) {
        for (List<ObjectIdentifier> objects = first; !objects.isEmpty(); objects = page(s3, bucket, prefix)) {
            List<ObjectIdentifier> batch = objects;
            AwsCalls.call(
                    "deleting the objects of S3 bucket " + bucket,
                    () -> s3.deleteObjects(
                            b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true))));
        }
    }
}
