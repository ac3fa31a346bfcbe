package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.testbed.ManualClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A domain's endpoint as the broker's manual snapshots use it, with a real node behind it: the master user's basic
 * authentication goes through; a request signed by a principal the master mapped to {@code manage_snapshots} registers
 * an {@code s3} repository, whose snapshots are then objects of the test bed's snapshot bucket; a principal not mapped,
 * a role the broker may not pass, a bucket the test bed does not keep on disk, or a path outside the snapshot API is
 * refused as OpenSearch Service refuses it.
 */
@Timeout(600)
class SearchDomainGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASTER = "master";
    private static final String MASTER_PASSWORD = "Master-password-42";
    private static final String TEST_BED_USER = "arn:aws:iam::" + FakeRds.ACCOUNT + ":user/test-bed";
    private static final String OTHER_ROLE = "arn:aws:iam::" + FakeRds.ACCOUNT + ":role/someone-else";

    @TempDir
    static Path work;

    private static AwsTestBed bed;
    private static HttpClient http;
    private static String endpoint;

    @BeforeAll
    static void startDomain() throws Exception {
        ManualClock clock = new ManualClock();
        Duration none = Duration.ZERO;
        bed = AwsTestBed.start(work, new StatusTimings(none, none, none, none), clock, none);
        http = HttpClient.newBuilder()
                .sslContext(trusting(bed.certificates().caCertificatePem()))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try (OpenSearchClient openSearch = bed.openSearch().client(bed.accessKey())) {
            String arn = "arn:aws:es:" + AwsTestBed.REGION + ":" + FakeRds.ACCOUNT + ":domain/pb-snapshots";
            openSearch.createDomain(b -> b.domainName("pb-snapshots")
                    .engineVersion("OpenSearch_2.19")
                    .advancedSecurityOptions(s -> s.enabled(true)
                            .internalUserDatabaseEnabled(true)
                            .masterUserOptions(m -> m.masterUserName(MASTER).masterUserPassword(MASTER_PASSWORD)))
                    .encryptionAtRestOptions(e -> e.enabled(true))
                    .nodeToNodeEncryptionOptions(n -> n.enabled(true))
                    .domainEndpointOptions(d -> d.enforceHTTPS(true))
                    .accessPolicies("""
                            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                              "Action": "es:ESHttp*", "Resource": "%s/*"}]}
                            """.formatted(arn)));
            bed.openSearch().awaitNodes();
            endpoint = openSearch
                    .describeDomain(b -> b.domainName("pb-snapshots"))
                    .domainStatus()
                    .endpoint();
        }
        assertThat(asMaster("PUT", "/pb-a-1/_doc/1?refresh=true", "{\"kept\": true}")
                        .statusCode())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (bed != null) {
            assertThat(bed.takeViolations()).isEmpty();
            bed.close();
        }
    }

    @Test
    void aMappedPrincipalSnapshotsIntoTheBucketAndRestores() throws Exception {
        mapToManageSnapshots("{\"users\": [\"" + TEST_BED_USER + "\"]}");
        AwsCredentialsIdentity broker = AwsCredentialsIdentity.create(
                bed.accessKey().id(), bed.accessKey().secret());

        HttpResponse<String> registered = signed(
                broker, "PUT", "/_snapshot/pb-a-snap-1", s3Repository("pb/pb-a-snap-1", AwsTestBed.SNAPSHOT_ROLE_ARN));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        HttpResponse<String> taken = signed(
                broker,
                "PUT",
                "/_snapshot/pb-a-snap-1/pb-a-snap-1?wait_for_completion=true",
                "{\"indices\": \"pb-a-*\", \"include_global_state\": false}");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        JsonNode described = JSON.readTree(
                signed(broker, "GET", "/_snapshot/pb-a-snap-1/pb-a-snap-1", "").body());
        assertThat(described.at("/snapshots/0/state").asText()).isEqualTo("SUCCESS");

        try (S3Client s3 = bed.s3().client(bed.accessKey())) {
            List<String> keys = s3
                    .listObjectsV2(b -> b.bucket(AwsTestBed.SNAPSHOT_BUCKET).prefix("pb/pb-a-snap-1/"))
                    .contents()
                    .stream()
                    .map(S3Object::key)
                    .toList();
            assertThat(keys).contains("pb/pb-a-snap-1/index-0").anyMatch(key -> key.contains("/indices/"));
        }

        HttpResponse<String> restored =
                signed(broker, "POST", "/_snapshot/pb-a-snap-1/pb-a-snap-1/_restore?wait_for_completion=true", """
                {"indices": "pb-a-*", "include_global_state": false,
                 "rename_pattern": "pb-a-(.+)", "rename_replacement": "pb-b-$1"}
                """);
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        assertThat(JSON.readTree(asMaster("GET", "/pb-b-1/_doc/1", null).body())
                        .at("/_source/kept")
                        .asBoolean())
                .isTrue();
        assertThat(signed(broker, "DELETE", "/_snapshot/pb-a-snap-1", "").statusCode())
                .isEqualTo(200);
        assertThat(bed.permissionsUsed(bed.accessKey().id()))
                .contains("es:ESHttpPut", "es:ESHttpGet", "es:ESHttpPost", "es:ESHttpDelete", "iam:PassRole");
    }

    @Test
    void aRolesSessionIsKnownByItsRoleAsBackendRole() throws Exception {
        String role = "arn:aws:iam::" + FakeRds.ACCOUNT + ":role/paasbroker";
        bed.sts().addRole(role, null);
        Credentials session;
        try (StsClient sts = bed.sts().client(bed.accessKey())) {
            session = sts.assumeRole(b -> b.roleArn(role).roleSessionName("broker"))
                    .credentials();
        }
        AwsSessionCredentialsIdentity asRole = AwsSessionCredentialsIdentity.create(
                session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
        String registration = s3Repository("pb/pb-c", AwsTestBed.SNAPSHOT_ROLE_ARN);
        mapToManageSnapshots("{\"users\": [\"" + TEST_BED_USER + "\"]}");

        HttpResponse<String> unmapped = signed(asRole, "PUT", "/_snapshot/pb-c", registration);
        assertThat(unmapped.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(unmapped.body()).at("/error/reason").asText())
                .isEqualTo("no permissions for [cluster:admin/repository/put] and User"
                        + " [name=arn:aws:sts::" + FakeRds.ACCOUNT + ":assumed-role/paasbroker/broker, backend_roles=["
                        + role + "], requestedTenant=null]");

        mapToManageSnapshots("{\"backend_roles\": [\"" + role + "\"]}");
        assertThat(signed(asRole, "PUT", "/_snapshot/pb-c", registration).statusCode())
                .isEqualTo(200);
    }

    @Test
    void whatOpenSearchServiceRefusesIsRefused() throws Exception {
        mapToManageSnapshots("{\"users\": [\"" + TEST_BED_USER + "\"]}");
        AwsCredentialsIdentity broker = AwsCredentialsIdentity.create(
                bed.accessKey().id(), bed.accessKey().secret());

        HttpResponse<String> otherRole = signed(broker, "PUT", "/_snapshot/pb-d", s3Repository("pb/pb-d", OTHER_ROLE));
        assertThat(otherRole.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(otherRole.body()).path("Message").asText())
                .isEqualTo("User: " + TEST_BED_USER + " is not authorized to perform: iam:PassRole on resource: "
                        + OTHER_ROLE);

        HttpResponse<String> otherBucket = signed(
                broker,
                "PUT",
                "/_snapshot/pb-d",
                s3Repository(AwsTestBed.BACKUP_BUCKET, "pb/pb-d", AwsTestBed.SNAPSHOT_ROLE_ARN));
        assertThat(otherBucket.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(otherBucket.body()).at("/error/type").asText())
                .isEqualTo("repository_verification_exception");

        assertThat(signed(broker, "PUT", "/_snapshot/pb-d", s3Repository("../pb-d", AwsTestBed.SNAPSHOT_ROLE_ARN))
                        .statusCode())
                .isEqualTo(400);

        HttpResponse<String> search = signed(broker, "GET", "/_cat/indices", "");
        assertThat(search.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(search.body()).at("/error/type").asText()).isEqualTo("security_exception");

        AwsCredentialsIdentity unknown =
                AwsCredentialsIdentity.create(bed.accessKey().id(), "not-the-secret");
        HttpResponse<String> forged = signed(unknown, "GET", "/_snapshot", "");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(forged.body()).path("message").asText())
                .isEqualTo("The request signature we calculated does not match the signature you provided.");
        assertThat(asMaster("GET", "/_snapshot", null).body()).doesNotContain("pb-d");
    }

    private static void mapToManageSnapshots(String mapping) throws Exception {
        HttpResponse<String> mapped = asMaster("PUT", "/_plugins/_security/api/rolesmapping/manage_snapshots", mapping);
        assertThat(mapped.statusCode()).as(mapped.body()).isIn(200, 201);
    }

    private static String s3Repository(String basePath, String role) {
        return s3Repository(AwsTestBed.SNAPSHOT_BUCKET, basePath, role);
    }

    private static String s3Repository(String bucket, String basePath, String role) {
        return """
                {"type": "s3", "settings": {"bucket": "%s", "base_path": "%s", "region": "%s", "role_arn": "%s"}}
                """.formatted(bucket, basePath, AwsTestBed.REGION, role);
    }

    private static HttpResponse<String> asMaster(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + endpoint + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (MASTER + ":" + MASTER_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As the broker sends it: signed with SigV4 for service {@code es} by the SDK's own signer. */
    private static HttpResponse<String> signed(AwsCredentialsIdentity identity, String method, String path, String body)
            throws Exception {
        URI uri = URI.create("https://" + endpoint + path);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(SdkHttpRequest.builder()
                                .method(SdkHttpMethod.fromValue(method))
                                .uri(uri)
                                .putHeader("Content-Type", "application/json")
                                .build())
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "es")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, AwsTestBed.REGION));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        bytes.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        // the client sets Host itself, to the value signed
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry(
                "test-bed-ca",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
