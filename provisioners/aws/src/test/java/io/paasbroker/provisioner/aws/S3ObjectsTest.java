package io.paasbroker.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * DeleteObjects answers 200 with the keys it could not delete: those stop the deletion with S3's reason instead of
 * a listing that finds them again, and again.
 */
class S3ObjectsTest {

    /** A bucket whose one object S3 refuses to delete with {@code code}, each time it is asked. */
    private static final class RefusingBucket implements S3Client {

        private final String code;
        final AtomicInteger deletes = new AtomicInteger();

        RefusingBucket(String code) {
            this.code = code;
        }

        @Override
        public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
            return ListObjectsV2Response.builder()
                    .contents(S3Object.builder().key("kept/object").build())
                    .build();
        }

        @Override
        public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
            if (deletes.incrementAndGet() > 3) {
                throw new IllegalStateException("deleted again after a refusal");
            }
            return DeleteObjectsResponse.builder()
                    .errors(S3Error.builder()
                            .key("kept/object")
                            .code(code)
                            .message("refused")
                            .build())
                    .build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }

    @Test
    void aKeyS3RefusesToDeleteFailsTheDeletionWithS3sReason() {
        RefusingBucket s3 = new RefusingBucket("AccessDenied");

        assertThatThrownBy(() -> S3Objects.delete(s3, "bucket", "kept/", S3Objects.page(s3, "bucket", "kept/")))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("kept/object")
                .hasMessageContaining("AccessDenied");
        assertThat(s3.deletes).hasValue(1);
    }

    @Test
    void aKeyS3CouldNotDeleteForNowIsTriedAgainLater() {
        RefusingBucket s3 = new RefusingBucket("SlowDown");

        assertThatThrownBy(() -> S3Objects.delete(
                        s3,
                        "bucket",
                        "",
                        List.of(ObjectIdentifier.builder().key("kept/object").build())))
                .isInstanceOf(BackingServiceUnavailableException.class)
                .hasMessageContaining("SlowDown");
    }
}
