package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.ArrayList;
import java.util.List;
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
