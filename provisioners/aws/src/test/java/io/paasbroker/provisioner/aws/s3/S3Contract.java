package io.paasbroker.provisioner.aws.s3;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.aws.AwsPlans;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The provisioner contract for S3 plans, wherever the buckets are (the test bed, a real account): a tenant is an
 * application with the AWS SDK's S3 client made from its binding's credentials, keeping a marker object in its bucket.
 */
abstract class S3Contract extends ServiceProvisionerContract {

    /** A plan of {@code overrides} on top of one whose deletions take the objects with them. */
    static Plan plan(String name, Map<String, Object> overrides) {
        return AwsPlans.plan(
                "s3", name, "S3 with a bucket of its own", Map.of("delete_non_empty_buckets", true), overrides);
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new BucketSession(client(credentials), text(credentials, "bucket_name"));
    }

    /** The client an application makes from the credentials. */
    static S3Client client(Credentials credentials) {
        return S3Client.builder()
                .endpointOverride(URI.create(text(credentials, "endpoint")))
                .forcePathStyle(Boolean.TRUE.equals(credentials.values().get("path_style")))
                .region(Region.of(text(credentials, "region")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        text(credentials, "access_key_id"), text(credentials, "secret_access_key"))))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static String text(Credentials credentials, String key) {
        return String.valueOf(credentials.values().get(key));
    }

    /** Reads and writes an object {@code marker} in the binding's bucket. */
    private record BucketSession(S3Client s3, String bucket) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            s3.putObject(b -> b.bucket(bucket).key("marker"), RequestBody.fromString(marker));
        }

        @Override
        public String readMarker() {
            return read(bucket);
        }

        /** With this binding's key, from the other binding's bucket. */
        @Override
        public String readMarkerOf(Credentials other) {
            return read(text(other, "bucket_name"));
        }

        private String read(String from) {
            try {
                return s3.getObjectAsBytes(b -> b.bucket(from).key("marker")).asUtf8String();
            } catch (NoSuchKeyException e) {
                return null;
            }
        }

        @Override
        public void close() {
            s3.close();
        }
    }
}
