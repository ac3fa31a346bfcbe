package io.paasbroker.it.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.it.BindingTls;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;

/**
 * S3 through the AWS SDK's client, configured from the credentials as an application would: the broker's own S3
 * server ({@link #local()}), or a bucket of the aws plans against the AWS test bed's S3 ({@link #onAws}).
 *
 * @param https whether the endpoint must be HTTPS (the broker's own server is; the test bed's fake S3 is not)
 */
public record S3Probe(String name, String service, String plan, boolean asynchronous, boolean https)
        implements TenantProbe {

    private static final String KEY = "probe";

    /** The embedded default's S3 plan {@code standard}. */
    public static S3Probe local() {
        return new S3Probe(
                "s3", "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a05", "5d6e7f80-9102-4c3d-9e4f-5a6b7c8d9e51", false, true);
    }

    /** An aws S3 plan: binds wait for IAM's keys, so they are asynchronous. */
    public static S3Probe onAws(String service, String plan) {
        return new S3Probe("s3 on aws", service, plan, true, false);
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void write(JsonNode credentials, String value) {
        as(credentials, s3 -> s3.putObject(b -> b.bucket(bucket(credentials)).key(KEY), RequestBody.fromString(value)));
    }

    @Override
    public String read(JsonNode credentials) {
        String[] value = new String[1];
        as(
                credentials,
                s3 -> value[0] = s3.getObjectAsBytes(
                                b -> b.bucket(bucket(credentials)).key(KEY))
                        .asUtf8String());
        return value[0];
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        try {
            as(credentials, s3 -> s3.listObjectsV2(b -> b.bucket(bucket(credentials))));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        String victimBucket = bucket(victim);
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put(
                "list the victim's objects", () -> as(intruder, s3 -> s3.listObjectsV2(b -> b.bucket(victimBucket))));
        attacks.put(
                "read the victim's object",
                () -> as(
                        intruder, s3 -> s3.getObject(b -> b.bucket(victimBucket).key(KEY))));
        attacks.put(
                "read the victim's object's metadata",
                () -> as(
                        intruder,
                        s3 -> s3.headObject(b -> b.bucket(victimBucket).key(KEY))));
        attacks.put(
                "write the victim's object",
                () -> as(
                        intruder,
                        s3 -> s3.putObject(b -> b.bucket(victimBucket).key(KEY), RequestBody.fromString("x"))));
        attacks.put(
                "delete the victim's object",
                () -> as(
                        intruder,
                        s3 -> s3.deleteObject(b -> b.bucket(victimBucket).key(KEY))));
        attacks.put(
                "wipe the victim's bucket",
                () -> as(
                        intruder,
                        s3 -> s3.deleteObjects(b -> b.bucket(victimBucket).delete(d -> d.objects(o -> o.key(KEY))))));
        attacks.put(
                "copy the victim's object out",
                () -> as(
                        intruder,
                        s3 -> s3.copyObject(b -> b.sourceBucket(victimBucket)
                                .sourceKey(KEY)
                                .destinationBucket(bucket(intruder))
                                .destinationKey("stolen"))));
        attacks.put(
                "delete the victim's bucket", () -> as(intruder, s3 -> s3.deleteBucket(b -> b.bucket(victimBucket))));
        attacks.put(
                "make the victim's bucket public",
                () -> as(
                        intruder,
                        s3 -> s3.putBucketAcl(b -> b.bucket(victimBucket).acl(BucketCannedACL.PUBLIC_READ))));
        attacks.put(
                "see the victim's bucket among all buckets",
                () -> as(intruder, s3 -> {
                    if (s3.listBuckets().buckets().stream()
                            .anyMatch(b -> b.name().equals(victimBucket))) {
                        throw new AssertionError("the victim's bucket is listed");
                    }
                    throw new IllegalStateException("listing shows the intruder's own bucket only, as it should");
                }));
        attacks.put(
                "create a bucket of its own choosing",
                () -> as(intruder, s3 -> s3.createBucket(b -> b.bucket("pb-intruder"))));
        attacks.put(
                "sign with the victim's key id and its own secret",
                () -> as(
                        victim.get("access_key_id").asText(),
                        intruder.get("secret_access_key").asText(),
                        intruder,
                        s3 -> s3.listObjectsV2(b -> b.bucket(victimBucket))));
        return attacks;
    }

    private static String bucket(JsonNode credentials) {
        return credentials.get("bucket_name").asText();
    }

    private void as(JsonNode credentials, Consumer<S3Client> action) {
        as(
                credentials.get("access_key_id").asText(),
                credentials.get("secret_access_key").asText(),
                credentials,
                action);
    }

    /** The client the README shows an application building from its credentials, the endpoint's CA trusted. */
    private void as(String keyId, String secret, JsonNode endpointOf, Consumer<S3Client> action) {
        assertThat(endpointOf.get("endpoint").asText()).startsWith(https ? "https://" : "http://");
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(endpointOf.get("endpoint").asText()))
                .region(Region.of(endpointOf.get("region").asText()))
                .forcePathStyle(endpointOf.get("path_style").asBoolean())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClient(UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(() ->
                                BindingTls.of(endpointOf).trustManagerFactory().getTrustManagers())
                        .build())
                .build()) {
            action.accept(s3);
        }
    }
}
