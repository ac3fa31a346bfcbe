package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.paasbroker.azure.testbed.fake.FakeEntraId;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.isolation.RedisProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker (its executable jar, embedded servers off) with the example catalog {@code catalog-azure.yml}, against the
 * Azure test bed as the README's "Try the azure plans" runs it (fakes of Entra ID and Resource Manager checked against
 * Azure's published REST shapes, a real PostgreSQL behind each flexible server, a real Redis behind each Azure Managed
 * Redis cache, Azurite behind the storage account): a platform provisions, binds,
 * updates, backs up, restores, unbinds and deprovisions over OSB, and the application uses its credentials over
 * verified TLS.
 */
class AzureProvisionerIT {

    private static final String SERVICE = AzureTestBedBrokers.POSTGRESQL;

    private static AzureTestBedBrokers brokers;

    @BeforeAll
    static void testBed() {
        brokers = new AzureTestBedBrokers();
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
    void aPlatformProvisionsBindsResizesBacksUpRestoresAndDeletesFlexibleServersOverOsb() throws Exception {
        BrokerProcess broker = brokers.start("lifecycle");
        Platform platform = new Platform(broker.client(), SERVICE, AzureTestBedBrokers.BURSTABLE);
        String instance = id();

        assertThat(platform.provision(instance, false).status())
                .as("a flexible server takes minutes: a platform that cannot wait is refused")
                .isEqualTo(422);
        assertThat(platform.provision(instance, true, Map.of("extensions", List.of("citext")))
                        .status())
                .isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        assertThat(brokers.flexibleServers()).hasSize(1);
        String binding = id();
        JsonNode credentials = bound(platform, instance, binding);
        assertThat(credentials.get("jdbcUrl").asText()).contains("sslmode=verify-full");
        assertThat(credentials.get("port").asInt()).isEqualTo(5432);
        SqlMarker.write(credentials, "in the backup");

        Platform larger = new Platform(broker.client(), SERVICE, AzureTestBedBrokers.GENERAL_PURPOSE);
        assertThat(larger.update(instance, true, Map.of()).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        OsbClient.Response shrinking = platform.update(instance, true, Map.of());
        assertThat(shrinking.status()).as("back to 32 GiB of storage").isEqualTo(422);
        assertThat(shrinking.text("description")).contains("cannot shrink");
        assertThat(SqlMarker.read(credentials)).isEqualTo("in the backup");

        JsonNode backup = larger.backUpNow(instance, "snapshot");
        SqlMarker.write(credentials, "after the backup");
        String restored = id();
        larger.restore(restored, backup);
        JsonNode restoredCredentials = bound(larger, restored, id());
        assertThat(SqlMarker.read(restoredCredentials)).isEqualTo("in the backup");
        assertThat(restoredCredentials.get("hostname").asText())
                .isNotEqualTo(credentials.get("hostname").asText());

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThatThrownBy(() -> SqlMarker.read(credentials)).isInstanceOf(SQLException.class);
        for (String each : List.of(instance, restored)) {
            assertThat(platform.deprovision(each, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(each).status()).isEqualTo(410);
        }
        assertThat(brokers.flexibleServers()).isEmpty();
        List<String> secrets = new ArrayList<>(brokers.secrets());
        secrets.add(credentials.get("password").asText());
        assertNotLogged(broker, secrets);
    }

    @Test
    void aPlatformProvisionsABlobContainerWhoseBindingsEachHaveASasOfTheirOwnOverOsb() throws Exception {
        BrokerProcess broker = brokers.start("blob");
        Platform platform = new Platform(broker.client(), AzureTestBedBrokers.BLOB, AzureTestBedBrokers.BLOB_SCRATCH);
        String instance = id();
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        String writerBinding = id();
        JsonNode writer = bound(platform, instance, writerBinding);
        String readerBinding = id();
        assertThat(platform.bind(instance, readerBinding, true, Map.of("read_only", true))
                        .status())
                .isIn(201, 202);
        assertThat(platform.awaitBinding(instance, readerBinding).text("state")).isEqualTo("succeeded");
        JsonNode reader = platform.credentials(instance, readerBinding);
        HttpClient http = HttpClient.newBuilder()
                .sslContext(BindingTls.of(writer).sslContext())
                .build();

        assertThat(putBlob(http, writer, "greeting", "hello")).isEqualTo(201);
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(blob(reader, "greeting")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.body()).isEqualTo("hello");
        assertThat(putBlob(http, reader, "intruder", "x"))
                .as("a read-only binding writes")
                .isEqualTo(403);

        assertThat(platform.unbind(instance, writerBinding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, writerBinding).status()).isEqualTo(410);
        assertThat(putBlob(http, writer, "after-unbind", "x"))
                .as("an unbound SAS")
                .isEqualTo(403);
        assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        assertThat(putBlob(http, reader, "greeting", "x"))
                .as("a deleted container")
                .isIn(403, 404);
        List<String> secrets = new ArrayList<>(brokers.secrets());
        secrets.add(writer.get("sas_token").asText());
        secrets.add(reader.get("sas_token").asText());
        assertNotLogged(broker, secrets);
    }

    @Test
    void aPlatformProvisionsAManagedRedisCacheLetsAnApplicationInBacksItUpAndRestoresItOverOsb() {
        BrokerProcess broker = brokers.start("redis");
        Platform platform =
                new Platform(broker.client(), AzureTestBedBrokers.REDIS, AzureTestBedBrokers.REDIS_BALANCED_B0);
        String instance = id();
        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        FakeEntraId.Principal application = brokers.application();
        String binding = id();
        assertThat(platform.bind(instance, binding, true).status())
                .as("a bind naming no identity")
                .isEqualTo(400);
        assertThat(platform.bind(instance, binding, true, Map.of("object_id", application.objectId()))
                        .status())
                .isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        JsonNode credentials = platform.credentials(instance, binding);
        assertThat(credentials.get("username").asText()).isEqualTo(application.objectId());
        assertThat(credentials.has("password")).isFalse();
        RedisProbe redis = new RedisProbe();
        redis.on(credentials, login(application, credentials), r -> r.set("greeting", "in the backup"));

        JsonNode backup = platform.backUpNow(instance, "snapshot");
        String restored = id();
        platform.restore(restored, backup);
        FakeEntraId.Principal restoredApplication = brokers.application();
        String restoredBinding = id();
        assertThat(platform.bind(restored, restoredBinding, true, Map.of("object_id", restoredApplication.objectId()))
                        .status())
                .isIn(201, 202);
        assertThat(platform.awaitBinding(restored, restoredBinding).text("state"))
                .isEqualTo("succeeded");
        JsonNode restoredCredentials = platform.credentials(restored, restoredBinding);
        List<String> read = new ArrayList<>();
        redis.on(
                restoredCredentials, login(restoredApplication, restoredCredentials), r -> read.add(r.get("greeting")));
        assertThat(read).containsExactly("in the backup");

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThatThrownBy(() -> redis.on(credentials, login(application, credentials), r -> r.get("greeting")))
                .as("the unbound application's login")
                .hasStackTraceContaining("WRONGPASS");
        for (String each : List.of(instance, restored)) {
            assertThat(platform.deprovision(each, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(each).status()).isEqualTo(410);
        }
        assertNotLogged(broker, brokers.secrets());
    }

    /** The application's login: its object id, and a token of its own for the binding's scope. */
    private static JsonNode login(FakeEntraId.Principal application, JsonNode credentials) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("username", application.objectId())
                .put(
                        "password",
                        brokers.token(
                                application, credentials.get("entra_id_scope").asText()));
    }

    private static void assertNotLogged(BrokerProcess broker, List<String> secrets) {
        broker.assertLogHoldsNone(
                "secrets (the service principal's, administrator and binding passwords, account keys, SAS)", secrets);
    }

    /** Uploads a block blob with the binding's SAS alone, as an application does over Blob Storage's REST API. */
    private static int putBlob(HttpClient http, JsonNode credentials, String name, String content) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(blob(credentials, name))
                                .header("x-ms-blob-type", "BlockBlob")
                                .PUT(HttpRequest.BodyPublishers.ofString(content))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static URI blob(JsonNode credentials, String name) {
        return URI.create(credentials.get("container_url").asText() + "/" + name + "?"
                + credentials.get("sas_token").asText());
    }

    /** The credentials of a new binding, bound as Cloud Foundry binds: asynchronously, polled to its end. */
    private static JsonNode bound(Platform platform, String instance, String binding) {
        assertThat(platform.bind(instance, binding, true).status()).isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
