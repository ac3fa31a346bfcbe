package io.paasbroker.aws.testbed.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.Endpoint;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A fake reads what the real SDK client sent, and the real SDK client reads what the fake wrote, both through the
 * SDK's own marshalling metadata: round trips through an RDS client on loopback.
 */
class QueryWireTest {

    private static final String RDS_NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";

    private HttpServer server;
    private final AtomicReference<Map<String, String>> received = new AtomicReference<>();
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private RdsClient rds;

    private record Answer(int status, byte[] body) {}

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        rds = RdsClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        rds.close();
        server.stop(0);
    }

    @Test
    void aRequestTheSdkSentReadsBackIntoTheSameRequest() {
        CreateDbInstanceRequest sent = CreateDbInstanceRequest.builder()
                .dbInstanceIdentifier("pb-0123456789abcdef")
                .dbInstanceClass("db.t3.micro")
                .engine("postgres")
                .allocatedStorage(20)
                .multiAZ(true)
                .vpcSecurityGroupIds("sg-1", "sg-2")
                .tags(Tag.builder().key("paasbroker:instance").value("db1").build())
                .build();
        answer.set(new Answer(
                200,
                QueryResponseWriter.response(
                        "CreateDBInstance",
                        RDS_NAMESPACE,
                        DBInstance.builder()
                                .dbInstanceIdentifier("pb-0123456789abcdef")
                                .build())));

        rds.createDBInstance(sent);

        CreateDbInstanceRequest read = QueryRequestReader.read(received.get(), CreateDbInstanceRequest.builder());
        assertThat(read).isEqualTo(sent);
    }

    @Test
    void aResponseTheFakeWroteReadsBackIntoTheSameObjects() {
        DBInstance instance = DBInstance.builder()
                .dbInstanceIdentifier("pb-0123456789abcdef")
                .dbInstanceStatus("available")
                .engine("postgres")
                .allocatedStorage(20)
                .multiAZ(false)
                .instanceCreateTime(Instant.parse("2026-12-06T10:15:30Z"))
                .endpoint(Endpoint.builder().address("127.0.0.1").port(5432).build())
                .tagList(Tag.builder().key("team").value("a & b <c>").build())
                .build();
        answer.set(new Answer(
                200,
                QueryResponseWriter.response(
                        "DescribeDBInstances",
                        RDS_NAMESPACE,
                        DescribeDbInstancesResponse.builder()
                                .dbInstances(instance)
                                .build())));

        DescribeDbInstancesResponse response =
                rds.describeDBInstances(b -> b.dbInstanceIdentifier("pb-0123456789abcdef"));

        assertThat(response.dbInstances()).containsExactly(instance);
        assertThat(received.get()).containsEntry("Action", "DescribeDBInstances");
    }

    @Test
    void anErrorTheFakeWroteIsTheModelsException() {
        answer.set(
                new Answer(404, QueryResponseWriter.error("DBInstanceNotFound", "DBInstance pb-1 not found.", true)));

        assertThatThrownBy(() -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("pb-1")))
                .isInstanceOf(DbInstanceNotFoundException.class)
                .hasMessageContaining("DBInstance pb-1 not found.");
    }

    private void answer(HttpExchange exchange) throws IOException {
        received.set(QueryRequestReader.parameters(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Answer reply = answer.get();
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        exchange.getResponseBody().write(reply.body());
        exchange.close();
    }
}
