package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.IamPolicyCoverage;
import io.paasbroker.aws.testbed.fake.AccessKeys;
import io.paasbroker.aws.testbed.fake.FakeRds;
import io.paasbroker.broker.support.OsbClient;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * The broker's production jar with the example catalog {@code catalog-aws.yml}, against the AWS test bed as the README's
 * "Try it" runs it (fakes of AWS's APIs checked against AWS's published models, real PostgreSQL behind each RDS
 * instance): a platform provisions, binds, updates, unbinds and deprovisions over OSB, and the application uses its
 * credentials over verified TLS.
 */
class AwsProvisionerIT {

    private static final String SERVICE = "dd204112-ce31-488d-9318-6dc671271a31";
    private static final String TINY = "f147d40d-b19f-4dca-a850-f06ee9380273";
    private static final String SMALL = "3a926860-1542-434a-b18f-89c41be7d6f0";

    private static SharedPostgres postgres;
    private static AwsTestBed aws;
    private static RdsClient rds;

    private final List<BrokerProcess> started = new ArrayList<>();
    private final Path work = Path.of("target", "it-work", "aws-" + UUID.randomUUID());

    @BeforeAll
    static void servers() {
        postgres = new SharedPostgres();
        Duration step = Duration.ofMillis(500);
        aws = AwsTestBed.start(
                Path.of("target", "it-work", "aws-test-bed-" + UUID.randomUUID()),
                new FakeRds.Timings(Duration.ofSeconds(2), step, step, step));
        AccessKeys.Key testKey = aws.issueKey(); // the test's own look: not counted as the broker's calls
        rds = RdsClient.builder()
                .endpointOverride(aws.rds().endpoint())
                .region(Region.of(AwsTestBed.REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(testKey.id(), testKey.secret())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopServers() throws IOException {
        try {
            assertThat(IamPolicyCoverage.ofProjectPolicy()
                            .notAllowed(aws.permissionsUsed(aws.accessKey().id())))
                    .as("actions the broker needed that docs/aws-iam-policy.json does not allow")
                    .isEmpty();
        } finally {
            rds.close();
            aws.close();
            postgres.close();
        }
    }

    @AfterEach
    void stopBrokersAndCheckTheRequests() {
        started.forEach(BrokerProcess::close);
        assertThat(aws.takeViolations())
                .as("requests AWS's published model refuses")
                .isEmpty();
    }

    @Test
    void aPlatformProvisionsBindsUpdatesAndDeletesAnRdsInstanceOverOsb() throws Exception {
        BrokerProcess broker = start("lifecycle");
        Platform platform = new Platform(broker.client(), SERVICE, TINY);
        String instance = id();
        String binding = id();

        assertThat(platform.provision(instance, false).status())
                .as("RDS takes minutes: a platform that cannot wait is refused")
                .isEqualTo(422);
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        OsbClient.Response provisioned = platform.awaitInstance(instance);
        assertThat(provisioned.text("state")).isEqualTo("succeeded");
        String identifier = rds.describeDBInstances().dbInstances().stream()
                .filter(db -> db.tagList().stream()
                        .anyMatch(tag -> tag.key().equals("paasbroker:instance")
                                && tag.value().equals(instance)))
                .findFirst()
                .orElseThrow()
                .dbInstanceIdentifier();

        JsonNode credentials = bound(platform, instance, binding);
        assertThat(credentials.get("jdbcUrl").asText()).contains("sslmode=verify-full");
        write(credentials, "kept through the update");

        OsbClient.Response encrypting = new Platform(broker.client(), SERVICE, SMALL).update(instance, true, Map.of());
        assertThat(encrypting.status()).isEqualTo(422);
        assertThat(encrypting.text("description")).contains("encryption at rest");
        assertThat(platform.update(instance, true, Map.of("backup_window", "01:00-01:30"))
                        .status())
                .isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        assertThat(rds.describeDBInstances(b -> b.dbInstanceIdentifier(identifier))
                        .dbInstances()
                        .get(0)
                        .preferredBackupWindow())
                .isEqualTo("01:00-01:30");
        assertThat(read(credentials)).isEqualTo("kept through the update");

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThatThrownBy(() -> read(credentials)).isInstanceOf(SQLException.class);
        assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        assertThatThrownBy(() -> rds.describeDBInstances(b -> b.dbInstanceIdentifier(identifier)))
                .isInstanceOf(DbInstanceNotFoundException.class);
    }

    @Test
    void anOnDemandBackupIsAnRdsSnapshotThatRestoresIntoANewInstance() throws Exception {
        BrokerProcess broker = start("snapshots");
        Platform platform = new Platform(broker.client(), SERVICE, TINY);
        String source = id();
        assertThat(platform.provision(source, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(source).text("state")).isEqualTo("succeeded");
        JsonNode sourceCredentials = bound(platform, source, id());
        write(sourceCredentials, "in the snapshot");

        assertThat(platform.update(source, true, Map.of("backup", "now")).status())
                .isEqualTo(202);
        assertThat(platform.awaitInstance(source).text("state")).isEqualTo("succeeded");
        JsonNode backup =
                broker.client().get("/v2/service_instances/" + source).body().at("/parameters/backups/0");
        assertThat(backup.get("storage").asText()).isEqualTo("snapshot");
        assertThat(backup.get("state").asText()).isEqualTo("completed");
        write(sourceCredentials, "after the snapshot");

        String restored = id();
        assertThat(platform.provision(
                                restored,
                                true,
                                Map.of("restore_from_backup", backup.get("id").asText()))
                        .status())
                .isEqualTo(202);
        assertThat(platform.awaitInstance(restored).text("state")).isEqualTo("succeeded");
        JsonNode restoredCredentials = bound(platform, restored, id());
        assertThat(read(restoredCredentials)).isEqualTo("in the snapshot");
        assertThat(restoredCredentials.get("hostname").asText() + restoredCredentials.get("port"))
                .isNotEqualTo(sourceCredentials.get("hostname").asText() + sourceCredentials.get("port"));

        for (String instance : List.of(source, restored)) {
            assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        }
    }

    @Test
    void instancesAreIsolatedFromEachOther() throws Exception {
        BrokerProcess broker = start("isolation");
        Platform platform = new Platform(broker.client(), SERVICE, TINY);
        String mine = id();
        String theirs = id();
        for (String instance : List.of(mine, theirs)) {
            assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        }
        for (String instance : List.of(mine, theirs)) {
            assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        }
        JsonNode myCredentials = bound(platform, mine, id());
        JsonNode theirCredentials = bound(platform, theirs, id());
        write(theirCredentials, "their data");

        String theirServerWithMyLogin = theirCredentials.get("jdbc-url").asText();
        assertThatThrownBy(() -> DriverManager.getConnection(
                                theirServerWithMyLogin,
                                myCredentials.get("username").asText(),
                                myCredentials.get("password").asText())
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");

        for (String instance : List.of(mine, theirs)) {
            assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        }
    }

    private BrokerProcess start(String name) {
        List<String> properties = new ArrayList<>(postgres.brokerProperties(Catalogs.cloudCatalog()));
        properties.removeIf(property -> property.startsWith("paasbroker.catalog="));
        properties.add("paasbroker.catalog=classpath:catalog-aws.yml");
        aws.brokerProperties().forEach((key, value) -> properties.add(key + "=" + value));
        BrokerProcess broker = BrokerProcess.start(
                name,
                work,
                properties,
                List.of(),
                Map.of(
                        "AWS_ACCESS_KEY_ID",
                        aws.accessKey().id(),
                        "AWS_SECRET_ACCESS_KEY",
                        aws.accessKey().secret()));
        started.add(broker);
        return broker;
    }

    /** The credentials of a new binding, bound as Cloud Foundry binds: asynchronously, polled to its end. */
    private static JsonNode bound(Platform platform, String instance, String binding) {
        assertThat(platform.bind(instance, binding, true).status()).isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    private static void write(JsonNode credentials, String marker) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS marker (value text)");
            s.execute("DELETE FROM marker");
            s.execute("INSERT INTO marker VALUES ('" + marker + "')");
        }
    }

    private static String read(JsonNode credentials) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT value FROM marker")) {
            row.next();
            return row.getString(1);
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
