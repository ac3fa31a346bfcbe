package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.isolation.OpenSearchProbe;
import io.paasbroker.it.isolation.S3Probe;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * The broker (its executable jar, embedded servers off) with the example catalog {@code catalog-aws.yml}, against the
 * AWS test bed as the README's "Try the aws plans" runs it (fakes of AWS's APIs checked against AWS's published models,
 * real PostgreSQL or MariaDB behind each RDS instance, real Redis behind each ElastiCache group): a platform provisions,
 * binds, updates, backs up, restores, unbinds and deprovisions over OSB, and the application uses its credentials over verified TLS. Isolation between aws instances:
 * {@code AwsIsolationMatrixIT}.
 */
class AwsProvisionerIT {

    private static final String SERVICE = AwsTestBedBrokers.SERVICE;
    private static final String TINY = AwsTestBedBrokers.TINY;
    private static final String SMALL = AwsTestBedBrokers.SMALL;

    private static AwsTestBedBrokers brokers;

    @BeforeAll
    static void testBed() {
        brokers = new AwsTestBedBrokers();
    }

    @AfterAll
    static void stopTestBed() {
        brokers.close();
    }

    @AfterEach
    void stopBrokersAndCheckTheRequests() {
        brokers.stopBrokers();
        brokers.assertNoViolations();
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
        String identifier = brokers.rdsIdentifierOf(instance);

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
        assertThat(brokers.rds()
                        .describeDBInstances(b -> b.dbInstanceIdentifier(identifier))
                        .dbInstances()
                        .get(0)
                        .preferredBackupWindow())
                .isEqualTo("01:00-01:30");
        assertThat(read(credentials)).isEqualTo("kept through the update");
        List<String> secrets = new ArrayList<>(brokers.secretsOf(identifier));
        secrets.add(credentials.get("password").asText());

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThatThrownBy(() -> read(credentials)).isInstanceOf(SQLException.class);
        deprovisionAll(platform, instance);
        assertThatThrownBy(() -> brokers.rds().describeDBInstances(b -> b.dbInstanceIdentifier(identifier)))
                .isInstanceOf(DbInstanceNotFoundException.class);
        assertNotLogged(broker, "secrets (the AWS secret key, the master and binding passwords)", secrets);
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

        JsonNode backup = platform.backUpNow(source, "snapshot");
        write(sourceCredentials, "after the snapshot");

        String restored = id();
        platform.restore(restored, backup);
        JsonNode restoredCredentials = bound(platform, restored, id());
        assertThat(read(restoredCredentials)).isEqualTo("in the snapshot");
        assertThat(restoredCredentials.get("hostname").asText() + restoredCredentials.get("port"))
                .isNotEqualTo(sourceCredentials.get("hostname").asText() + sourceCredentials.get("port"));

        deprovisionAll(platform, source, restored);
    }

    @Test
    void aPlatformProvisionsBindsBacksUpAndDeletesAMysqlRdsInstanceOverOsb() throws Exception {
        BrokerProcess broker = start("mysql");
        Platform platform = new Platform(broker.client(), AwsTestBedBrokers.MYSQL, AwsTestBedBrokers.MYSQL_TINY);
        String instance = id();
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        String binding = id();
        JsonNode credentials = bound(platform, instance, binding);
        assertThat(credentials.get("uri").asText()).startsWith("mysql://");
        assertThat(credentials.get("jdbcUrl").asText()).contains("sslMode=VERIFY_IDENTITY");
        write(credentials, "in the snapshot");

        JsonNode backup = platform.backUpNow(instance, "snapshot");
        String restored = id();
        platform.restore(restored, backup);
        JsonNode restoredCredentials = bound(platform, restored, id());
        assertThat(read(restoredCredentials)).isEqualTo("in the snapshot");

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThatThrownBy(() -> read(credentials)).isInstanceOf(SQLException.class);
        assertNotLogged(
                broker,
                "the binding's password",
                List.of(credentials.get("password").asText()));
        deprovisionAll(platform, instance, restored);
    }

    @Test
    void aPlatformProvisionsBindsAndDeletesAnS3BucketWithAnIamUserPerBindingOverOsb() {
        BrokerProcess broker = start("s3");
        Platform platform = new Platform(broker.client(), AwsTestBedBrokers.S3, AwsTestBedBrokers.S3_SCRATCH);
        String instance = id();
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        String binding = id();
        JsonNode writer = bound(platform, instance, binding);
        JsonNode reader = boundReadOnly(platform, instance, id());
        S3Probe s3 = S3Probe.onAws(AwsTestBedBrokers.S3, AwsTestBedBrokers.S3_SCRATCH);
        s3.write(writer, "kept");

        assertThat(s3.read(reader)).isEqualTo("kept");
        assertThatThrownBy(() -> s3.write(reader, "overwritten")).hasMessageContaining("Access Denied");
        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThat(s3.canConnect(writer)).as("the unbound binding's key").isFalse();
        assertNotLogged(
                broker,
                "binding secrets",
                List.of(
                        writer.get("secret_access_key").asText(),
                        reader.get("secret_access_key").asText()));
        deprovisionAll(platform, instance);
        assertThat(brokers.bucketsAndIamUsers())
                .as("buckets and IAM users left")
                .isEmpty();
    }

    @Test
    void aPlatformProvisionsBindsSnapshotsAndDeletesAnOpenSearchDomainWithAUserPerBindingOverOsb() throws Exception {
        BrokerProcess broker = start("opensearch");
        Platform platform =
                new Platform(broker.client(), AwsTestBedBrokers.OPENSEARCH, AwsTestBedBrokers.OPENSEARCH_MEDIUM_HA);
        String instance = id();
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        String binding = id();
        JsonNode writer = bound(platform, instance, binding);
        JsonNode reader = boundReadOnly(platform, instance, id());
        assertThat(writer.get("uri").asText()).startsWith("https://");
        OpenSearchProbe search =
                OpenSearchProbe.onAws(AwsTestBedBrokers.OPENSEARCH, AwsTestBedBrokers.OPENSEARCH_MEDIUM_HA);
        search.write(writer, "in the backup");
        assertThat(search.read(reader)).isEqualTo("in the backup");
        assertThatThrownBy(() -> search.write(reader, "overwritten")).hasMessageContaining("Forbidden");

        JsonNode backup = platform.backUpNow(instance, "snapshot");
        String restored = id();
        platform.restore(restored, backup);
        assertThat(search.read(bound(platform, restored, id()))).isEqualTo("in the backup");

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThat(search.canConnect(writer)).as("the unbound binding's user").isFalse();
        assertThat(search.read(reader)).as("another binding of the instance").isEqualTo("in the backup");
        assertNotLogged(
                broker,
                "binding passwords",
                List.of(writer.get("password").asText(), reader.get("password").asText()));
        deprovisionAll(platform, instance, restored);
        assertThat(brokers.domains()).as("domains left").isEmpty();
    }

    @Test
    void aPlatformProvisionsBindsBacksUpAndDeletesAnElastiCacheGroupWithAUserPerBindingOverOsb() throws Exception {
        BrokerProcess broker = start("redis");
        Platform platform = new Platform(broker.client(), AwsTestBedBrokers.REDIS, AwsTestBedBrokers.REDIS_SMALL_HA);
        String instance = id();
        assertThat(platform.provision(instance, false).status())
                .as("ElastiCache takes minutes: a platform that cannot wait is refused")
                .isEqualTo(422);
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        String binding = id();
        JsonNode writer = bound(platform, instance, binding);
        JsonNode other = bound(platform, instance, id());
        assertThat(writer.get("uri").asText()).startsWith("rediss://");
        assertThat(writer.get("username").asText())
                .isNotEqualTo(other.get("username").asText());
        redis(writer, r -> r.set("marker", "in the snapshot"));

        JsonNode backup = platform.backUpNow(instance, "snapshot");
        String restored = id();
        platform.restore(restored, backup);
        JsonNode restoredCredentials = bound(platform, restored, id());
        String restoredMarker = redis(restoredCredentials, r -> r.get("marker"));
        assertThat(restoredMarker).isEqualTo("in the snapshot");

        assertThat(platform.unbind(instance, binding, true).status()).isEqualTo(202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThatThrownBy(() -> redis(writer, r -> r.get("marker"))).hasStackTraceContaining("WRONGPASS");
        String otherMarker = redis(other, r -> r.get("marker"));
        assertThat(otherMarker).as("another binding of the instance").isEqualTo("in the snapshot");
        assertNotLogged(
                broker,
                "binding passwords",
                List.of(writer.get("password").asText(), other.get("password").asText()));
        deprovisionAll(platform, instance, restored);
        assertThat(brokers.elastiCache().describeUsers(b -> {}).users())
                .as("ElastiCache users left")
                .isEmpty();
    }

    private static BrokerProcess start(String name) {
        return brokers.start(name);
    }

    private static JsonNode boundReadOnly(Platform platform, String instance, String binding) {
        assertThat(platform.bind(instance, binding, true, Map.of("read_only", true))
                        .status())
                .isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    /** The credentials of a new binding, bound as Cloud Foundry binds: asynchronously, polled to its end. */
    private static JsonNode bound(Platform platform, String instance, String binding) {
        assertThat(platform.bind(instance, binding, true).status()).isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    private static void write(JsonNode credentials, String marker) throws SQLException {
        SqlMarker.write(credentials, marker);
    }

    private static String read(JsonNode credentials) throws SQLException {
        return SqlMarker.read(credentials);
    }

    /** {@code command} as the binding's user, over TLS verified with the binding's CA, as an application connects. */
    private static <T> T redis(JsonNode credentials, Function<RedisCommands<String, String>, T> command) {
        RedisClient client =
                RedisClient.create(RedisURI.create(credentials.get("uri").asText()));
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder()
                        .trustManager(BindingTls.of(credentials).trustManagerFactory())
                        .build())
                .build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return command.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static void assertNotLogged(BrokerProcess broker, String what, List<String> secrets) {
        broker.assertLogHoldsNone(what, secrets);
    }

    private static void deprovisionAll(Platform platform, String... instances) {
        for (String each : instances) {
            assertThat(platform.deprovision(each, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(each).status()).isEqualTo(410);
        }
    }
}
