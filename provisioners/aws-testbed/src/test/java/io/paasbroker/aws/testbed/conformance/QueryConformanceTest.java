package io.paasbroker.aws.testbed.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The gate against requests the AWS SDK itself sends: a listener on loopback keeps each request's form parameters
 * (and refuses it, so that the SDK does not retry), and the gate checks them against AWS's published model.
 */
class QueryConformanceTest {

    private static final QueryConformance RDS =
            new QueryConformance(ServiceModel.load("rds", "2014-10-31"), FullModel.load("rds", "2014-10-31"));
    private static final QueryConformance ELASTICACHE = new QueryConformance(
            ServiceModel.load("elasticache", "2015-02-02"), FullModel.load("elasticache", "2015-02-02"));

    private HttpServer server;
    private final AtomicReference<Map<String, String>> lastRequest = new AtomicReference<>();
    private RdsClient rds;
    private ElastiCacheClient elastiCache;

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            lastRequest.set(QueryRequestReader.parameters(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] refusal = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>"
                            + "<Message>kept for the test</Message></Error></ErrorResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, refusal.length);
            exchange.getResponseBody().write(refusal);
            exchange.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        rds = RdsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_2)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        elastiCache = ElastiCacheClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_2)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        rds.close();
        elastiCache.close();
        server.stop(0);
    }

    @Test
    void aCompleteCreateDbInstanceWithListsAndTagsConforms() {
        sent(() -> rds.createDBInstance(b -> b.dbInstanceIdentifier("pb-0123456789abcdef")
                .dbInstanceClass("db.t3.micro")
                .engine("postgres")
                .engineVersion("15.8")
                .allocatedStorage(20)
                .maxAllocatedStorage(100)
                .masterUsername("pbadmin")
                .masterUserPassword("not-a-real-one")
                .multiAZ(false)
                .storageEncrypted(true)
                .vpcSecurityGroupIds("sg-1", "sg-2")
                .tags(
                        Tag.builder().key("paasbroker:instance").value("db1").build(),
                        Tag.builder().key("paasbroker:space").value("s").build())));

        assertThat(lastRequest.get())
                .containsEntry("VpcSecurityGroupIds.VpcSecurityGroupId.2", "sg-2")
                .containsEntry("Tags.Tag.1.Key", "paasbroker:instance");
        assertThat(RDS.check(lastRequest.get())).isEmpty();
    }

    /** The SDK sends a request that lacks a required member; AWS would refuse it, and so does the gate. */
    @Test
    void aRequestLackingARequiredMemberIsRefused() {
        sent(() -> rds.createDBInstance(b -> b.dbInstanceIdentifier("pb-1").dbInstanceClass("db.t3.micro")));

        assertThat(RDS.check(lastRequest.get())).containsExactly("CreateDBInstance: Engine is required");
    }

    @Test
    void unknownMembersBadValuesAndGapsAreEachNamed() {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("Action", "CreateDBInstance");
        request.put("Version", "2014-10-31");
        request.put("DBInstanceIdentifier", "pb-1");
        request.put("DBInstanceClass", "db.t3.micro");
        request.put("Engine", "postgres");
        request.put("AllocatedStorage", "twenty");
        request.put("MultiAZ", "yes");
        request.put("StorageSize", "20");
        request.put("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-1");
        request.put("VpcSecurityGroupIds.VpcSecurityGroupId.3", "sg-3");
        request.put("Tags.member.1.Key", "k");

        assertThat(RDS.check(request))
                .containsExactlyInAnyOrder(
                        "CreateDBInstance.AllocatedStorage: 'twenty' is no integer",
                        "CreateDBInstance.MultiAZ: 'yes' is no boolean",
                        "CreateDBInstance: StorageSize is no member (members: " + membersOfCreateDbInstance() + ")",
                        "CreateDBInstance.VpcSecurityGroupIds: positions must run 1, 2, ... with no gap, not [1, 3]",
                        "CreateDBInstance.Tags: list elements must be CreateDBInstance.Tags.Tag.N, not [member]");
    }

    /** What only the full model says: enums, lengths and patterns, and each operation's errors. */
    @Test
    void valuesOutsideTheFullModelsConstraintsAreRefused() {
        sent(() -> elastiCache.createReplicationGroup(b ->
                b.replicationGroupId("pb-1").replicationGroupDescription("d").networkType("ipv5")));
        assertThat(ELASTICACHE.check(lastRequest.get()))
                .containsExactly("CreateReplicationGroup.NetworkType: 'ipv5' is not among [ipv4, ipv6, dual_stack]");

        sent(() -> rds.modifyDBInstance(b -> b.dbInstanceIdentifier("pb-1").awsBackupRecoveryPointArn("arn:short")));
        assertThat(RDS.check(lastRequest.get()))
                .containsExactlyInAnyOrder(
                        "ModifyDBInstance.AwsBackupRecoveryPointArn: length below the model's minimum 43",
                        "ModifyDBInstance.AwsBackupRecoveryPointArn: does not match the model's pattern "
                                + "^arn:aws[a-z-]*:backup:[-a-z0-9]+:[0-9]{12}:[-a-z]+:([a-z0-9\\-]+:)?[a-z][a-z0-9\\-]{0,255}$");

        assertThat(RDS.errorCodes("CreateDBInstance"))
                .contains("DBInstanceAlreadyExists", "InvalidParameterCombination")
                .doesNotContain("DBInstanceNotFound");
    }

    @Test
    void anOperationOrVersionTheModelDoesNotHaveIsRefused() {
        assertThat(RDS.check(Map.of("Action", "CreateDatabase", "Version", "2014-10-31")))
                .containsExactly("rds-2014-10-31 has no operation CreateDatabase");
        assertThat(RDS.check(Map.of("Action", "DescribeDBInstances", "Version", "2013-01-10")))
                .containsExactly("DescribeDBInstances: Version 2013-01-10 is not 2014-10-31");
    }

    @Test
    void elastiCacheRequestsAreCheckedAgainstTheirOwnModel() {
        sent(() -> elastiCache.createReplicationGroup(b -> b.replicationGroupId("pb-0123456789abcdef")
                .replicationGroupDescription("paasbroker instance db1")
                .engine("redis")
                .cacheNodeType("cache.t4g.micro")
                .transitEncryptionEnabled(true)
                .atRestEncryptionEnabled(true)
                .userGroupIds("pb-users-1")
                .securityGroupIds("sg-1")));
        assertThat(ELASTICACHE.check(lastRequest.get())).isEmpty();

        sent(() -> elastiCache.createReplicationGroup(b -> b.replicationGroupId("pb-1")));
        assertThat(ELASTICACHE.check(lastRequest.get()))
                .containsExactly("CreateReplicationGroup: ReplicationGroupDescription is required");
    }

    @Test
    void aModelOfAnotherProtocolIsRefused() {
        assertThatThrownBy(() -> new QueryConformance(
                        ServiceModel.load("opensearch", "2021-01-01"), FullModel.load("opensearch", "2021-01-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("opensearch-2021-01-01 speaks rest-json, not the Query protocol");
    }

    /** Sends through the SDK; the listener's refusal ends the call. */
    private static void sent(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(SdkException.class).hasMessageContaining("kept for the test");
    }

    private static String membersOfCreateDbInstance() {
        List<String> names = new java.util.ArrayList<>();
        ServiceModel.load("rds", "2014-10-31")
                .input("CreateDBInstance")
                .orElseThrow()
                .path("members")
                .fieldNames()
                .forEachRemaining(names::add);
        return new java.util.TreeSet<>(names).toString();
    }
}
