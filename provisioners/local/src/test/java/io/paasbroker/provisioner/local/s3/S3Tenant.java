package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.Credentials;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An application's S3 client, configured from its binding's credentials as an application would. */
final class S3Tenant implements AutoCloseable {

    private final S3Client client;
    private final String bucket;

    private S3Tenant(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    static S3Tenant of(Credentials credentials) {
        var v = credentials.values();
        return new S3Tenant(
                client(
                        (String) v.get("endpoint"),
                        (String) v.get("region"),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                (String) v.get("access_key_id"), (String) v.get("secret_access_key")))),
                (String) v.get("bucket_name"));
    }

    /** A client that signs nothing, aimed at the same server. */
    static S3Client anonymous(Credentials anyonesCredentials) {
        return client(
                (String) anyonesCredentials.values().get("endpoint"),
                (String) anyonesCredentials.values().get("region"),
                AnonymousCredentialsProvider.create());
    }

    private static S3Client client(String endpoint, String region, AwsCredentialsProvider credentials) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    S3Client client() {
        return client;
    }

    String bucket() {
        return bucket;
    }

    void put(String key, String content) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    String get(String bucketName, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucketName).key(key)).asUtf8String();
    }

    @Override
    public void close() {
        client.close();
    }
}
