package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiContractIT extends BrokerIT {

    @Test
    void catalogPublishesOnlyPlansWhoseProvisionerExists() {
        OsbClient.Response catalog = osb.get("/v2/catalog");

        assertThat(catalog.status()).isEqualTo(200);
        List<String> services = new ArrayList<>();
        catalog.body().get("services").forEach(s -> services.add(s.get("name").asText()));
        assertThat(services).containsExactlyInAnyOrder("postgresql", "controllable");
        JsonNode small = catalog.body().get("services").get(0).get("plans").get(0);
        assertThat(small.get("maintenance_info").get("version").asText()).isEqualTo("1.0.0");
        assertThat(small.get("schemas")
                        .get("service_instance")
                        .get("create")
                        .get("parameters")
                        .get("type")
                        .asText())
                .isEqualTo("object");
    }

    @Test
    void catalogIsServedUnderAPlatformInstancePrefixAndOnlyToGet() {
        OsbClient.Response plain = osb.get("/v2/catalog");
        OsbClient.Response prefixed = osb.get("/cf-platform-1/v2/catalog");

        assertThat(prefixed.status()).isEqualTo(200);
        assertThat(prefixed.header("Content-Type")).startsWith("application/json");
        assertThat(prefixed.body()).isEqualTo(plain.body());
        assertThat(osb.as(null, null).get("/cf-platform-1/v2/catalog").status()).isEqualTo(401);
        assertThat(osb.delete("/v2/catalog").status()).isEqualTo(405);
    }

    @Test
    void missingApiVersionGivesBadRequest() {
        OsbClient.Response response = osb.with("X-Broker-API-Version", null).get("/v2/catalog");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).contains("X-Broker-API-Version");
    }

    @Test
    void olderMinorVersionsOfTwoAreAccepted() {
        for (String version : List.of("2.13", "2.14", "2.15", "2.16", "2.17")) {
            assertThat(osb.with("X-Broker-API-Version", version)
                            .get("/v2/catalog")
                            .status())
                    .as(version)
                    .isEqualTo(200);
        }
    }

    @Test
    void unsupportedApiVersionGivesPreconditionFailed() {
        for (String version : List.of("2.18", "3.0", "1.9", "latest")) {
            OsbClient.Response response =
                    osb.with("X-Broker-API-Version", version).get("/v2/catalog");
            assertThat(response.status()).as(version).isEqualTo(412);
            assertThat(response.text("description")).contains(version);
        }
    }

    @Test
    void requestWithoutCredentialsIsUnauthorized() {
        assertThat(osb.as(null, null).get("/v2/catalog").status()).isEqualTo(401);
    }

    @Test
    void everyConfiguredPlatformIsAccepted() {
        assertThat(osb.get("/v2/catalog").status()).isEqualTo(200);
        assertThat(osb.as(SECOND_PLATFORM, SECOND_PASSWORD).get("/v2/catalog").status())
                .isEqualTo(200);
        assertThat(osb.as(SECOND_PLATFORM, PASSWORD).get("/v2/catalog").status())
                .isEqualTo(401);
    }

    @Test
    void wrongPasswordIsUnauthorizedEvenAfterTheRightOneWasAccepted() {
        assertThat(osb.get("/v2/catalog").status()).isEqualTo(200);
        assertThat(osb.as(USER, PASSWORD + "x").get("/v2/catalog").status()).isEqualTo(401);
        assertThat(osb.as("someone-else", PASSWORD).get("/v2/catalog").status()).isEqualTo(401);
    }

    @Test
    void requestIdentityIsEchoedOnSuccessesAndErrors() {
        OsbClient client = osb.with("X-Broker-API-Request-Identity", "e26cea8c-2ea0-4f9d-8d6c-0a1e1d0a5b6e");

        assertThat(client.get("/v2/catalog").header("X-Broker-API-Request-Identity"))
                .isEqualTo("e26cea8c-2ea0-4f9d-8d6c-0a1e1d0a5b6e");
        assertThat(client.get(instancePath("no-such-instance") + "/last_operation")
                        .header("X-Broker-API-Request-Identity"))
                .isEqualTo("e26cea8c-2ea0-4f9d-8d6c-0a1e1d0a5b6e");
        assertThat(client.as(null, null).get("/v2/catalog").header("X-Broker-API-Request-Identity"))
                .isEqualTo("e26cea8c-2ea0-4f9d-8d6c-0a1e1d0a5b6e");
    }

    /** Longer than the state store keeps: the platform's mistake, said as such, never a 503 it would retry. */
    @Test
    void valuesLongerThanTheBrokerKeepsAnswer400AndChangeNothing() {
        String tooLong = "x".repeat(256);
        String id = newId();

        OsbClient.Response longId = osb.put(instancePath(tooLong), fakeProvision("ok"));
        OsbClient.Response longRequestIdentity =
                osb.with("X-Broker-API-Request-Identity", tooLong).put(instancePath(id), fakeProvision("ok"));
        String platform = "p".repeat(65);
        String identity = Base64.getEncoder().encodeToString("{\"user_id\": \"u\"}".getBytes(StandardCharsets.UTF_8));
        OsbClient.Response longPlatform = osb.with("X-Broker-API-Originating-Identity", platform + " " + identity)
                .put(instancePath(id), fakeProvision("ok"));
        osb.put(instancePath(id), fakeProvision("ok"));
        OsbClient.Response longBindingId = osb.put(bindingPath(id, tooLong), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(List.of(longId, longRequestIdentity, longPlatform, longBindingId))
                .allSatisfy(response -> {
                    assertThat(response.status()).as(response.toString()).isEqualTo(400);
                    assertThat(response.text("description")).contains("is longer than");
                });
        assertThat(fake.calls("provision", id)).isEqualTo(1);
        assertThat(fake.calls("bind", tooLong)).isZero();
    }

    @Test
    void healthIsPublicAndDetailsNeedCredentials() {
        OsbClient anonymous = osb.as(null, null);
        OsbClient.Response publicHealth = anonymous.get("/actuator/health");
        OsbClient.Response detailed = osb.get("/actuator/health");

        assertThat(publicHealth.status()).isEqualTo(200);
        assertThat(publicHealth.body().has("components")).isFalse();
        assertThat(detailed.text("status")).isEqualTo("UP");
        assertThat(detailed.body().get("components").has("credentialStore")).isTrue();
        assertThat(detailed.body().get("components").has("db")).isTrue();
        assertThat(detailed.body()
                        .get("components")
                        .get("provisioners")
                        .get("details")
                        .toString())
                .contains("embedded", "PostgreSQL");
    }
}
