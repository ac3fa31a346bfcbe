package io.paasbroker.azure.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.paasbroker.azure.testbed.AzureTestBed;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The fake Azure Managed Redis, driven over HTTPS as a client of Azure Resource Manager drives Azure. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FakeRedisEnterpriseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "?api-version=2025-07-01";
    private static final String MANAGEMENT = "https://management.azure.com/.default";

    private AzureTestBed bed;
    private HttpClient http;
    private RedisClient redis;
    private String armToken;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        bed = new AzureTestBed(work);
        Path ca = Files.writeString(work.resolve("test-bed-ca.pem"), bed.caCertificatePem());
        http = HttpClient.newBuilder().sslContext(trusting(ca)).build();
        redis = RedisClient.create();
        redis.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder().trustManager(ca.toFile()).build())
                .build());
        Map<String, String> broker = bed.brokerEnvironment();
        armToken = token(broker.get("AZURE_CLIENT_ID"), broker.get("AZURE_CLIENT_SECRET"), MANAGEMENT);
    }

    @AfterAll
    void stop() {
        redis.shutdown();
        bed.close();
    }

    @Test
    void aClusterWithItsDatabaseServesRedisAtItsHostNameOverTls() throws Exception {
        String cluster = cluster("pb-keys", "Enabled");
        JsonNode keys = arm("POST", cluster + "/databases/default/listKeys", null).body;

        try (StatefulRedisConnection<String, String> connection =
                connect(hostName(cluster), "default", keys.path("primaryKey").asText())) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
        assertThat(arm("GET", cluster, null)
                        .body
                        .path("properties")
                        .path("provisioningState")
                        .asText())
                .isEqualTo("Succeeded");
    }

    @Test
    void anAssignedPrincipalSignsInWithItsRedisTokenOnlyUntilTheAssignmentIsDeleted() throws Exception {
        String cluster = cluster("pb-entra", "Disabled");
        var application = bed.application();
        String assignment = cluster + "/databases/default/accessPolicyAssignments/pbbinding1";
        done(arm("PUT", assignment, """
                {"properties": {"accessPolicyName": "default", "user": {"objectId": "%s"}}}
                """.formatted(application.objectId())));
        String redisToken = token(application.clientId(), application.clientSecret(), FakeRedisEnterprise.SCOPE);
        String managementToken = token(application.clientId(), application.clientSecret(), MANAGEMENT);
        String host = hostName(cluster);

        StatefulRedisConnection<String, String> signedIn = connect(host, application.objectId(), redisToken);
        assertThat(signedIn.sync().set("greeting", "hello")).isEqualTo("OK");
        assertThatThrownBy(() -> connect(host, application.objectId(), managementToken))
                .isInstanceOf(RedisConnectionException.class);

        done(arm("DELETE", assignment, null));

        assertThatThrownBy(() -> signedIn.sync().get("greeting")).isInstanceOf(RedisException.class);
        assertThatThrownBy(() -> connect(host, application.objectId(), redisToken))
                .isInstanceOf(RedisConnectionException.class);
        signedIn.close();
    }

    @Test
    void anExportImportedIntoAnotherClusterCarriesItsKeys() throws Exception {
        String from = cluster("pb-export", "Enabled");
        String into = cluster("pb-import", "Enabled");
        try (StatefulRedisConnection<String, String> connection = connect(
                hostName(from),
                "default",
                arm("POST", from + "/databases/default/listKeys", null)
                        .body
                        .path("primaryKey")
                        .asText())) {
            connection.sync().set("carried", "over");
        }
        String container = "exports";
        bed.azurite().send("PUT", "/" + container, Map.of("restype", "container"), Map.of());
        var containerClient = new BlobContainerClientBuilder()
                .endpoint(bed.azurite().blobEndpoint() + "/" + container)
                .credential(new StorageSharedKeyCredential(
                        bed.azurite().account(), bed.azurite().keys().get(0)))
                .buildClient();
        OffsetDateTime expiry = OffsetDateTime.now().plusHours(2);
        String readOnly = containerClient.generateSas(
                new BlobServiceSasSignatureValues(expiry, new BlobContainerSasPermission().setReadPermission(true)));
        String writable = containerClient.generateSas(new BlobServiceSasSignatureValues(
                expiry,
                new BlobContainerSasPermission().setWritePermission(true).setCreatePermission(true)));
        String containerUrl = bed.azurite().blobEndpoint() + "/" + container;

        Answer refused = done(arm(
                "POST", from + "/databases/default/export", "{\"sasUri\": \"" + containerUrl + "?" + readOnly + "\"}"));
        assertThat(refused.status).isEqualTo("Failed");
        assertThat(done(arm(
                                "POST",
                                from + "/databases/default/export",
                                "{\"sasUri\": \"" + containerUrl + "?" + writable + "\"}"))
                        .status)
                .isEqualTo("Succeeded");
        String listing = bed.azurite()
                .send("GET", "/" + container, Map.of("restype", "container", "comp", "list"), Map.of())
                .body();
        Matcher exported =
                Pattern.compile("<Name>(pb-export-default-[^<]+\\.rdb)</Name>").matcher(listing);
        assertThat(exported.find()).as(listing).isTrue();
        String blob = exported.group(1);
        String blobSas = containerClient
                .getBlobClient(blob)
                .generateSas(
                        new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true)));
        assertThat(done(arm(
                                "POST",
                                into + "/databases/default/import",
                                "{\"sasUris\": [\"" + containerUrl + "/" + blob + "?" + blobSas + "\"]}"))
                        .status)
                .isEqualTo("Succeeded");

        try (StatefulRedisConnection<String, String> connection = connect(
                hostName(into),
                "default",
                arm("POST", into + "/databases/default/listKeys", null)
                        .body
                        .path("primaryKey")
                        .asText())) {
            assertThat(connection.sync().get("carried")).isEqualTo("over");
        }
    }

    /** A running cluster with its database, access keys as {@code accessKeys}: its path. */
    private String cluster(String name, String accessKeys) throws Exception {
        String path = "/subscriptions/" + AzureTestBed.SUBSCRIPTION_ID + "/resourceGroups/"
                + AzureTestBed.RESOURCE_GROUP + "/providers/Microsoft.Cache/redisEnterprise/" + name;
        Answer created = arm("PUT", path, """
                {"location": "uksouth", "sku": {"name": "Balanced_B0"},
                 "properties": {"publicNetworkAccess": "Enabled", "minimumTlsVersion": "1.2"}}
                """);
        assertThat(created.code).isEqualTo(201);
        done(created);
        done(arm("PUT", path + "/databases/default", """
                {"properties": {"clientProtocol": "Encrypted", "port": 10000, "clusteringPolicy": "NoCluster",
                 "evictionPolicy": "NoEviction", "accessKeysAuthentication": "%s"}}
                """.formatted(accessKeys)));
        return path;
    }

    private String hostName(String cluster) throws Exception {
        return arm("GET", cluster, null)
                .body
                .path("properties")
                .path("hostName")
                .asText();
    }

    private StatefulRedisConnection<String, String> connect(String host, String user, String password) {
        return redis.connect(RedisURI.builder()
                .withHost(host)
                .withPort(FakeRedisEnterprise.PORT)
                .withSsl(true)
                .withAuthentication(user, password)
                .withTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** An answer of the fake Resource Manager, and the status its operation ended in, if it started one. */
    private record Answer(int code, JsonNode body, String operation, String status) {}

    private Answer arm(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(bed.resourceManager() + path + VERSION))
                .header("Authorization", "Bearer " + armToken)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
                .as(method + " " + path + ": " + answer.body())
                .isLessThan(300);
        JsonNode json = answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
        return new Answer(
                answer.statusCode(),
                json,
                answer.headers().firstValue("Azure-AsyncOperation").orElse(null),
                null);
    }

    /** Waits for the answer's operation to end. */
    private Answer done(Answer answer) throws Exception {
        if (answer.operation == null) {
            return answer;
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(URI.create(answer.operation))
                            .header("Authorization", "Bearer " + armToken)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String state = JSON.readTree(status.body()).path("status").asText();
            if (!state.equals("InProgress")) {
                return new Answer(answer.code, answer.body, answer.operation, state);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the operation " + answer.operation + " did not end");
    }

    private String token(String clientId, String secret, String scope) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(bed.authorityHost() + AzureTestBed.TENANT_ID + "/oauth2/v2.0/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private static SSLContext trusting(Path ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
