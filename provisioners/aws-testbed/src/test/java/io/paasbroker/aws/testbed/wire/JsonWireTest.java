package io.paasbroker.aws.testbed.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.ConfigChangeStatus;
import software.amazon.awssdk.services.opensearch.model.DescribeDomainResponse;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.OpenSearchPartitionInstanceType;
import software.amazon.awssdk.services.opensearch.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.opensearch.model.VolumeType;

/**
 * The real SDK client reads what the fake wrote, through the SDK's own REST-JSON marshalling metadata: round trips
 * through an OpenSearch client on loopback.
 */
class JsonWireTest {

    private HttpServer server;
    private final AtomicReference<String> requestedPath = new AtomicReference<>();
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private OpenSearchClient openSearch;

    private record Answer(int status, Map<String, String> headers, byte[] body) {}

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        openSearch = OpenSearchClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        openSearch.close();
        server.stop(0);
    }

    @Test
    void aResponseTheFakeWroteReadsBackIntoTheSameObjects() {
        DomainStatus domain = DomainStatus.builder()
                .domainId("123456789012/pb-a")
                .domainName("pb-a")
                .arn("arn:aws:es:us-east-1:123456789012:domain/pb-a")
                .created(true)
                .processing(false)
                .endpoint("search-pb-a-abc.us-east-1.es.amazonaws.com")
                .engineVersion("OpenSearch_2.19")
                .clusterConfig(c -> c.instanceType(OpenSearchPartitionInstanceType.T3_SMALL_SEARCH)
                        .instanceCount(2))
                .ebsOptions(e -> e.ebsEnabled(true).volumeType(VolumeType.GP3).volumeSize(10))
                .advancedSecurityOptions(a -> a.enabled(true).internalUserDatabaseEnabled(true))
                .advancedOptions(Map.of("rest.action.multi.allow_explicit_index", "true"))
                .modifyingProperties(p -> p.name("ClusterConfig.InstanceCount").activeValue("2"))
                .changeProgressDetails(c -> c.changeId("c-1")
                        .configChangeStatus(ConfigChangeStatus.COMPLETED)
                        .startTime(Instant.parse("2026-12-06T10:15:30.250Z"))
                        .lastUpdatedTime(Instant.parse("2026-12-06T10:20:00Z")))
                .build();
        answer.set(new Answer(
                200,
                Map.of(),
                JsonResponseWriter.response(
                        DescribeDomainResponse.builder().domainStatus(domain).build())));

        DescribeDomainResponse response = openSearch.describeDomain(b -> b.domainName("pb-a"));

        assertThat(response.domainStatus()).isEqualTo(domain);
        assertThat(requestedPath.get()).isEqualTo("/2021-01-01/opensearch/domain/pb-a");
    }

    @Test
    void anErrorTheFakeWroteIsTheModelsException() {
        answer.set(new Answer(
                409,
                Map.of("x-amzn-ErrorType", "ResourceAlreadyExistsException"),
                JsonResponseWriter.error("Domain pb-a already exists")));

        assertThatThrownBy(() -> openSearch.createDomain(b -> b.domainName("pb-a")))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("Domain pb-a already exists");
    }

    private void answer(HttpExchange exchange) throws IOException {
        requestedPath.set(exchange.getRequestURI().getRawPath());
        Answer reply = answer.get();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        reply.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        exchange.getResponseBody().write(reply.body());
        exchange.close();
    }
}
