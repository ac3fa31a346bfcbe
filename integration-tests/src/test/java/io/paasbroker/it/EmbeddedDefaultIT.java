package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.isolation.S3Probe;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The broker as the README's run command starts it, with nothing configured: its own PostgreSQL server and
 * credential key under the data directory, the default catalog. It survives a SIGKILL with its tenants' data and
 * credentials intact.
 */
class EmbeddedDefaultIT {

    private static final String POSTGRESQL = "5b2c4c4e-6a0b-4b59-9a4b-2f5f0a3d7c01";
    private static final String SMALL = "0f4f0c8e-4c1f-4e0a-9d51-6a3c1a4c2b11";

    @Test
    void defaultBrokerServesPostgresAndSurvivesSigkill() throws Exception {
        Path work = Path.of("target", "it-work", "embedded-" + UUID.randomUUID());
        String instance = UUID.randomUUID().toString();
        String binding = UUID.randomUUID().toString();
        String bucketInstance = UUID.randomUUID().toString();
        String bucketBinding = UUID.randomUUID().toString();
        S3Probe s3 = S3Probe.local();
        BrokerProcess broker = BrokerProcess.start("embedded-1", work, List.of());
        JsonNode credentials;
        JsonNode s3Credentials;
        try {
            Platform buckets = new Platform(broker.client(), s3.service(), s3.plan());
            assertThat(buckets.provision(bucketInstance, false).status()).isEqualTo(201);
            s3Credentials =
                    buckets.bind(bucketInstance, bucketBinding, false).body().get("credentials");
            s3.write(s3Credentials, "object before the kill");

            Platform platform = new Platform(broker.client(), POSTGRESQL, SMALL);
            assertThat(broker.client()
                            .get("/v2/catalog")
                            .body()
                            .get("services")
                            .get(0)
                            .get("name")
                            .asText())
                    .isEqualTo("postgresql");
            assertThat(platform.provision(instance, false).status()).isEqualTo(201);
            credentials = platform.bind(instance, binding, false).body().get("credentials");
            assertThat(credentials.get("uri").asText()).startsWith("postgres://");
            Tenant.execute(credentials, "CREATE TABLE kept (v text)");
            Tenant.execute(credentials, "INSERT INTO kept VALUES ('before the kill')");
        } finally {
            broker.kill();
        }

        try (BrokerProcess restarted = BrokerProcess.start("embedded-2", work, List.of())) {
            Platform platform = new Platform(restarted.client(), POSTGRESQL, SMALL);
            assertThat(platform.credentials(instance, binding)).isEqualTo(credentials);
            assertThat(Tenant.queryOne(credentials, "SELECT v FROM kept")).isEqualTo("before the kill");
            assertThat(platform.unbind(instance, binding, false).status()).isEqualTo(200);
            assertThat(Tenant.canConnect(credentials)).isFalse();
            assertThat(platform.deprovision(instance, false).status()).isEqualTo(200);

            // the S3 server's keys live in the broker's state: the same endpoint and key work after the restart
            Platform buckets = new Platform(restarted.client(), s3.service(), s3.plan());
            assertThat(s3.read(s3Credentials)).isEqualTo("object before the kill");
            OsbClient.Response refused = buckets.deprovision(bucketInstance, true);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.text("description")).contains("still holds objects");
            assertThat(s3.read(s3Credentials))
                    .as("a refused deprovision keeps the data")
                    .isEqualTo("object before the kill");
            assertThat(buckets.bind(bucketInstance, "after-the-refusal", false).status())
                    .as("the owner can still bind the instance to empty it")
                    .isEqualTo(201);
            assertThat(buckets.unbind(bucketInstance, "after-the-refusal", false)
                            .status())
                    .isEqualTo(200);
            assertThat(buckets.unbind(bucketInstance, bucketBinding, false).status())
                    .isEqualTo(200);
            assertThat(s3.canConnect(s3Credentials)).isFalse();
            assertThat(restarted.log())
                    .doesNotContain(credentials.get("password").asText())
                    .doesNotContain(s3Credentials.get("secret_access_key").asText());
        }
        assertThat(broker.log())
                .doesNotContain(credentials.get("password").asText())
                .doesNotContain(s3Credentials.get("secret_access_key").asText());
    }
}
