package io.paasbroker.provisioner.local.s3;

import java.util.Objects;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The tenant's objects in a bucket, as the S3 API shows them to the tenant. */
final class BucketObjects {

    private BucketObjects() {}

    /**
     * The keys of the bucket's objects, listed a page at a time as the stream is read. S3Proxy's stubs of unfinished
     * multipart uploads are left out: no object of the tenant's, they neither keep a bucket from being empty nor go
     * into a backup.
     */
    static Stream<String> keys(BlobStore store, String bucket) {
        return Stream.iterate(
                        store.list(page(bucket, null)),
                        Objects::nonNull,
                        page -> Boolean.TRUE.equals(page.isTruncated())
                                ? store.list(page(bucket, page.nextContinuationToken()))
                                : null)
                .flatMap(page -> page.contents().stream())
                .map(S3Object::key)
                .filter(key -> !isUnfinishedUpload(key));
    }

    /** Whether {@code key} is where S3Proxy keeps an unfinished multipart upload (its S3 API neither lists nor serves it). */
    static boolean isUnfinishedUpload(String key) {
        return key.startsWith(".s3proxy-mpu-stub-");
    }

    private static ListObjectsV2Request page(String bucket, String continuationToken) {
        return ListObjectsV2Request.builder()
                .bucket(bucket)
                .continuationToken(continuationToken)
                .build();
    }
}
