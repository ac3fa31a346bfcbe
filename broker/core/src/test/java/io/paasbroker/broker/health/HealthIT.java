package io.paasbroker.broker.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health as a platform probes it and an operator reads it. */
class HealthIT extends BrokerIT {

    @AfterEach
    void serverBack() {
        fake.serverDown(null);
    }

    @Test
    void aDownBackingServerShowsInDetailsAndAMetricButFailsNeitherLivenessNorReadiness() {
        fake.serverDown("connection refused");
        OsbClient anonymous = osb.as(null, null);

        OsbClient.Response health = osb.get("/actuator/health");
        OsbClient.Response liveness = anonymous.get("/actuator/health/liveness");
        OsbClient.Response readiness = anonymous.get("/actuator/health/readiness");
        OsbClient.Response metrics = osb.get("/actuator/prometheus");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("DEGRADED");
        assertThat(health.body().get("components").get("provisioners").toString())
                .contains("DOWN: connection refused");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.text("status")).isEqualTo("UP");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
        assertThat(metrics.raw().body())
                .containsPattern("paasbroker_backing_resource_up\\{[^}]*resource=\"fake\"[^}]*\\} 0\\.0");
    }

    @Test
    void aServerThatAnswersAgainIsUpInHealthAndMetric() {
        fake.serverDown("connection refused");
        osb.get("/actuator/health");
        fake.serverDown(null);

        OsbClient.Response health = osb.get("/actuator/health");

        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(osb.get("/actuator/prometheus").raw().body())
                .containsPattern("paasbroker_backing_resource_up\\{[^}]*resource=\"fake\"[^}]*\\} 1\\.0");
    }

    @Test
    void infoShowsTheVersionAndTheCommit() {
        OsbClient.Response info = osb.as(null, null).get("/actuator/info");

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body().get("build").get("version").asText()).isNotBlank();
        assertThat(info.body().get("git").get("commit").get("id").asText()).matches("[0-9a-f]{7,40}");
    }
}
