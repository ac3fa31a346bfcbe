package io.paasbroker.broker.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker with {@code paasbroker.credentials.store=vault}, logging in through AppRole to a stateful fake of
 * Vault's HTTP API: binding credentials land in Vault, never in the broker's tables, and unbind destroys them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BrokerIT.Provisioners.class) // the test catalog's plans of other provisioners
class VaultBackedBrokerIT {

    private static final FakeVaultServer VAULT = FakeVaultServer.start(Clock.systemUTC());
    private static final String SERVICE = "pg-service";
    private static final String PLAN = "pg-small";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        VAULT.enableAppRole("approle", "broker-role", "broker-secret-id", Duration.ofMinutes(5));
        registry.add(
                "paasbroker.data-directory",
                () -> Path.of("target", "vault-it-data-" + UUID.randomUUID()).toString());
        registry.add("paasbroker.catalog", () -> "classpath:test-catalog.yml");
        registry.add("paasbroker.embedded.mysql", () -> "false");
        registry.add("paasbroker.embedded.redis", () -> "false");
        registry.add("paasbroker.embedded.opensearch", () -> "false");
        registry.add("paasbroker.credentials.store", () -> "vault");
        registry.add(
                "paasbroker.credentials.vault.address", () -> VAULT.address().toString());
        registry.add("paasbroker.credentials.vault.role-id", () -> "broker-role");
        registry.add("paasbroker.credentials.vault.secret-id", () -> "broker-secret-id");
        registry.add("spring.security.user.name", () -> "platform");
        registry.add("spring.security.user.password", () -> "vault-it-password");
    }

    @AfterAll
    static void stopVault() {
        VAULT.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void bindingCredentialsLiveInVaultUntilUnbind() {
        OsbClient osb = new OsbClient("http://127.0.0.1:" + port, "platform", "vault-it-password");
        String instance = UUID.randomUUID().toString();
        String binding = UUID.randomUUID().toString();
        String ids = "?service_id=" + SERVICE + "&plan_id=" + PLAN;
        assertThat(osb.put(
                                "/v2/service_instances/" + instance,
                                Map.of(
                                        "service_id",
                                        SERVICE,
                                        "plan_id",
                                        PLAN,
                                        "organization_guid",
                                        "o",
                                        "space_guid",
                                        "s"))
                        .status())
                .isEqualTo(201);

        OsbClient.Response bound = osb.put(
                "/v2/service_instances/" + instance + "/service_bindings/" + binding,
                Map.of("service_id", SERVICE, "plan_id", PLAN));
        JsonNode credentials = bound.body().get("credentials");

        assertThat(bound.status()).isEqualTo(201);
        assertThat(VAULT.versionsStored("secret", "paasbroker/bindings/" + binding))
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM credentials")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(osb.get("/v2/service_instances/" + instance + "/service_bindings/" + binding)
                        .body()
                        .get("credentials"))
                .isEqualTo(credentials);
        assertThat(osb.get("/actuator/health")
                        .body()
                        .get("components")
                        .get("credentialStore")
                        .get("status")
                        .asText())
                .isEqualTo("UP");

        assertThat(osb.delete("/v2/service_instances/" + instance + "/service_bindings/" + binding + ids)
                        .status())
                .isEqualTo(200);
        assertThat(VAULT.versionsStored("secret", "paasbroker/bindings/" + binding))
                .isZero();
        assertThat(osb.delete("/v2/service_instances/" + instance + ids).status())
                .isEqualTo(200);
    }
}
