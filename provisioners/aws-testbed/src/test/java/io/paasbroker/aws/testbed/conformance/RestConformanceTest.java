package io.paasbroker.aws.testbed.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.OpenSearchPartitionInstanceType;
import software.amazon.awssdk.services.opensearch.model.TLSSecurityPolicy;
import software.amazon.awssdk.services.opensearch.model.VolumeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The REST gate on the requests the unmodified S3 (REST-XML) and OpenSearch (REST-JSON) clients send (captured by a
 * server that answers every one with an empty 200), and on requests that break the model.
 */
class RestConformanceTest {

    private static final RestConformance GATE =
            new RestConformance(ServiceModel.load("s3", "2006-03-01"), FullModel.load("s3", "2006-03-01"));

    private static final RestConformance JSON_GATE = new RestConformance(
            ServiceModel.load("opensearch", "2021-01-01"), FullModel.load("opensearch", "2021-01-01"));

    private static final String DOMAIN_ARN = "arn:aws:es:us-east-1:123456789012:domain/pb-a";

    private static final List<HttpRequest> CAPTURED = new CopyOnWriteArrayList<>();
    private static HttpServer server;
    private static S3Client s3;
    private static OpenSearchClient openSearch;

    @BeforeAll
    static void captureRequests() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders()
                        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
                CAPTURED.add(new HttpRequest(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        HttpRequest.query(exchange.getRequestURI().getRawQuery()),
                        headers,
                        body));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        s3 = S3Client.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .forcePathStyle(true)
                .region(Region.EU_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        openSearch = OpenSearchClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        openSearch.close();
        s3.close();
        server.stop(0);
    }

    @Test
    void whatTheSdkSendsConformsAndIsTheOperationItCalled() {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put(
                "CreateBucket",
                () -> s3.createBucket(b -> b.bucket("pb-a")
                        .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_2))));
        calls.put(
                "PutPublicAccessBlock",
                () -> s3.putPublicAccessBlock(b -> b.bucket("pb-a")
                        .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                                .ignorePublicAcls(true)
                                .blockPublicPolicy(true)
                                .restrictPublicBuckets(true))));
        calls.put(
                "PutBucketEncryption",
                () -> s3.putBucketEncryption(b -> b.bucket("pb-a")
                        .serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                                        d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                                                .kmsMasterKeyID("alias/pb"))
                                .bucketKeyEnabled(true)))));
        calls.put(
                "PutBucketVersioning",
                () -> s3.putBucketVersioning(
                        b -> b.bucket("pb-a").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED))));
        calls.put(
                "PutBucketTagging",
                () -> s3.putBucketTagging(b -> b.bucket("pb-a")
                        .tagging(t -> t.tagSet(Tag.builder()
                                .key("paasbroker:instance")
                                .value("i")
                                .build()))));
        calls.put("HeadBucket", () -> s3.headBucket(b -> b.bucket("pb-a")));
        calls.put(
                "ListObjectsV2",
                () -> s3.listObjectsV2(b -> b.bucket("pb-a").prefix("home/").maxKeys(10)));
        calls.put(
                "PutObject", () -> s3.putObject(b -> b.bucket("pb-a").key("dir/a b.txt"), RequestBody.fromString("x")));
        calls.put("GetObject", () -> s3.getObjectAsBytes(b -> b.bucket("pb-a").key("dir/a b.txt")));
        calls.put(
                "DeleteObjects",
                () -> s3.deleteObjects(b -> b.bucket("pb-a")
                        .delete(d -> d.objects(
                                ObjectIdentifier.builder().key("a").build(),
                                ObjectIdentifier.builder()
                                        .key("b")
                                        .versionId("v1")
                                        .build()))));
        calls.put(
                "CopyObject",
                () -> s3.copyObject(b -> b.sourceBucket("pb-a")
                        .sourceKey("dir/a b.txt")
                        .destinationBucket("pb-a")
                        .destinationKey("copy")));
        calls.put("ListBuckets", () -> s3.listBuckets());
        calls.put("DeleteBucket", () -> s3.deleteBucket(b -> b.bucket("pb-a")));

        assertThat(violationsOf(GATE, calls)).isEmpty();
    }

    @Test
    void whatTheOpenSearchClientSendsConformsAndIsTheOperationItCalled() {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put(
                "CreateDomain",
                () -> openSearch.createDomain(b -> b.domainName("pb-a")
                        .engineVersion("OpenSearch_2.19")
                        .clusterConfig(c -> c.instanceType(OpenSearchPartitionInstanceType.T3_SMALL_SEARCH)
                                .instanceCount(1))
                        .ebsOptions(e ->
                                e.ebsEnabled(true).volumeType(VolumeType.GP3).volumeSize(10))
                        .encryptionAtRestOptions(e -> e.enabled(true))
                        .nodeToNodeEncryptionOptions(n -> n.enabled(true))
                        .domainEndpointOptions(d ->
                                d.enforceHTTPS(true).tlsSecurityPolicy(TLSSecurityPolicy.POLICY_MIN_TLS_1_2_2019_07))
                        .advancedSecurityOptions(a -> a.enabled(true)
                                .internalUserDatabaseEnabled(true)
                                .masterUserOptions(
                                        m -> m.masterUserName("pb-admin").masterUserPassword("Secret-123")))
                        .tagList(t -> t.key("team").value("search"))));
        calls.put("DescribeDomain", () -> openSearch.describeDomain(b -> b.domainName("pb-a")));
        calls.put(
                "UpdateDomainConfig",
                () -> openSearch.updateDomainConfig(b -> b.domainName("pb-a")
                        .clusterConfig(c -> c.instanceCount(2))
                        .ebsOptions(e -> e.ebsEnabled(true).volumeSize(20))));
        calls.put(
                "AddTags",
                () -> openSearch.addTags(
                        b -> b.arn(DOMAIN_ARN).tagList(t -> t.key("team").value("search"))));
        calls.put("ListTags", () -> openSearch.listTags(b -> b.arn(DOMAIN_ARN)));
        calls.put(
                "RemoveTags", () -> openSearch.removeTags(b -> b.arn(DOMAIN_ARN).tagKeys("team")));
        calls.put("DeleteDomain", () -> openSearch.deleteDomain(b -> b.domainName("pb-a")));

        assertThat(violationsOf(JSON_GATE, calls)).isEmpty();
    }

    /** What {@code gate} finds in the first request of each call, each having been found as its operation. */
    private static List<String> violationsOf(RestConformance gate, Map<String, Runnable> calls) {
        List<String> violations = new ArrayList<>();
        calls.forEach((operation, call) -> {
            CAPTURED.clear();
            try {
                call.run();
            } catch (RuntimeException e) {
                // the capturing server's empty answer is not what every operation returns: only the request counts
            }
            assertThat(CAPTURED).as(operation).isNotEmpty();
            HttpRequest request = CAPTURED.get(0);
            assertThat(gate.operationOf(request)).as(operation).contains(operation);
            violations.addAll(gate.check(request));
        });
        return violations;
    }

    @Test
    void requestsOutsideTheModelAreFound() {
        assertThat(GATE.check(
                        request("PUT", "/pb-a", "versioning", "<Versioning><Status>Enabled</Status></Versioning>")))
                .containsExactly("PutBucketVersioning.VersioningConfiguration: the body's root element is Versioning,"
                        + " not VersioningConfiguration");
        assertThat(GATE.check(request(
                        "PUT",
                        "/pb-a",
                        "versioning",
                        "<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>")))
                .singleElement()
                .asString()
                .contains("'Maybe' is not among [Enabled, Suspended]");
        assertThat(GATE.check(request("PUT", "/pb-a", "publicAccessBlock", "")))
                .containsExactly("PutPublicAccessBlock.PublicAccessBlockConfiguration is required (the request has no"
                        + " body)");
        assertThat(GATE.check(request(
                        "PUT",
                        "/pb-a",
                        "tagging",
                        "<Tagging><TagSet><Tag><Key>k</Key></Tag><Label/></TagSet></Tagging>")))
                .containsExactlyInAnyOrder(
                        "PutBucketTagging.Tagging.TagSet.Tag.Value is required",
                        "PutBucketTagging.Tagging.TagSet: Label where the list has Tag");
        assertThat(GATE.check(request("GET", "/pb-a", "list-type=2&colour=blue", "")))
                .containsExactly("ListObjectsV2: query parameter colour is no member");
        assertThat(GATE.check(request("PATCH", "/pb-a", null, "")))
                .singleElement()
                .asString()
                .contains("no operation");
    }

    @Test
    void jsonRequestsOutsideTheModelAreFound() {
        String domains = "/2021-01-01/opensearch/domain";
        assertThat(JSON_GATE.check(request("POST", domains, null, "{\"DomainName\": \"pb-a\", \"Colour\": \"blue\"}")))
                .singleElement()
                .asString()
                .startsWith("CreateDomain: Colour is no member (members: [")
                .contains("ClusterConfig");
        assertThat(JSON_GATE.check(request("POST", domains, null, "{\"EngineVersion\": \"OpenSearch_2.19\"}")))
                .containsExactly("CreateDomain.DomainName is required");
        assertThat(JSON_GATE.check(request("POST", domains, null, "")))
                .containsExactly("CreateDomain.DomainName is required");
        assertThat(JSON_GATE.check(request(
                        "POST",
                        domains,
                        null,
                        "{\"DomainName\": \"pb-a\", \"ClusterConfig\": {\"InstanceCount\": \"3\"}}")))
                .containsExactly(
                        "CreateDomain.ClusterConfig.InstanceCount: a JSON string where the model has type integer");
        assertThat(JSON_GATE.check(request(
                        "POST",
                        domains,
                        null,
                        "{\"DomainName\": \"pb-a\", \"ClusterConfig\": {\"InstanceType\": \"m9.huge\"}}")))
                .singleElement()
                .asString()
                .startsWith("CreateDomain.ClusterConfig.InstanceType: 'm9.huge' is not among [");
        assertThat(JSON_GATE.check(request(
                        "POST", domains, null, "{\"DomainName\": \"pb-a\", \"TagList\": [{\"Key\": \"team\"}]}")))
                .containsExactly("CreateDomain.TagList[0].Value is required");
        assertThat(JSON_GATE.check(request("POST", domains, null, "DomainName=pb-a")))
                .containsExactly("CreateDomain: the body is not JSON");
        assertThat(JSON_GATE.check(request("GET", "/2021-01-01/tags/", "arn=" + DOMAIN_ARN + "&colour=blue", "")))
                .containsExactly("ListTags: query parameter colour is no member");
    }

    @Test
    void theErrorsOfAnOperationAreItsOwnAndTheCommonOnes() {
        assertThat(JSON_GATE.errorCodes("CreateDomain"))
                .contains("ResourceAlreadyExistsException", "ValidationException", "AccessDeniedException");
    }

    @Test
    void aModelOfAnotherProtocolIsRefused() {
        assertThatThrownBy(() -> new RestConformance(
                        ServiceModel.load("rds", "2014-10-31"), FullModel.load("rds", "2014-10-31")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speaks query");
    }

    private static HttpRequest request(String method, String path, String query, String body) {
        return new HttpRequest(method, path, HttpRequest.query(query), Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
}
