package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.broker.support.StateStoreTables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class SecretsAndAuditIT extends BrokerIT {

    private static final String DELETE_QUERY = "?service_id=" + PG_SERVICE + "&plan_id=" + PG_SMALL;

    @Test
    void noIssuedSecretReachesTheStateStoreOrTheLog(CapturedOutput output) {
        String instance = newId();
        String binding = newId();
        osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of()));
        JsonNode credentials =
                credentials(osb.put(bindingPath(instance, binding), bind(PG_SERVICE, PG_SMALL, Map.of())));
        String password = credentials.get("password").asText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        osb.get(bindingPath(instance, binding));
        osb.delete(bindingPath(instance, binding) + DELETE_QUERY);
        osb.delete(instancePath(instance) + DELETE_QUERY);

        assertThat(StateStoreTables.holding(jdbc, password)).isEmpty();
        assertThat(output.getAll()).doesNotContain(password);
    }

    /**
     * A secret is stored with its operation's outcome or not at all: a run whose operation another replica took over
     * in the meantime leaves both to that replica, and the binding is bound once the operation is run again.
     */
    @Test
    void aRunThatLostItsOperationStoresNoSecret(CapturedOutput output) {
        String instance = newId();
        String binding = newId();
        osb.put(instancePath(instance), fakeProvision("ok"));
        osb.put(
                bindingPath(instance, binding) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "block")));
        waitFor(() -> fake.calls("bind", binding) == 1, "the bind step to start");
        String operation = jdbc.sql("SELECT id FROM operations WHERE binding_id = ?")
                .param(binding)
                .query(String.class)
                .single();
        jdbc.sql("UPDATE operations SET lease_owner = 'another-replica', lease_expires_at = now() + interval '1 hour'"
                        + " WHERE id = ?")
                .param(operation)
                .update();

        fake.release(binding);
        waitFor(
                () -> output.getAll().contains("Operation " + operation + " was taken over"),
                "the run to find its operation taken over");

        assertThat(storedSecrets(binding)).isZero();
        assertThat(osb.get(bindingPath(instance, binding) + "/last_operation").text("state"))
                .isEqualTo("in progress");

        // the other replica is gone: its lease runs out and this one runs the operation again
        jdbc.sql("UPDATE operations SET lease_expires_at = now() - interval '1 second' WHERE id = ?")
                .param(operation)
                .update();
        assertThat(awaitOperation(bindingPath(instance, binding) + "/last_operation")
                        .text("state"))
                .isEqualTo("succeeded");
        assertThat(storedSecrets(binding)).isEqualTo(1);
        assertThat(credentials(osb.get(bindingPath(instance, binding)))
                        .get("password")
                        .asText())
                .isEqualTo("secret-" + binding);
    }

    private long storedSecrets(String binding) {
        return jdbc.sql("SELECT count(*) FROM credentials WHERE ref = ?")
                .param("bindings/" + binding)
                .query(Long.class)
                .single();
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            sleep(20);
        }
    }

    @Test
    void credentialsAreStoredEncrypted() {
        String instance = newId();
        String binding = newId();
        osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of()));
        JsonNode credentials =
                credentials(osb.put(bindingPath(instance, binding), bind(PG_SERVICE, PG_SMALL, Map.of())));

        byte[] stored = jdbc.sql("SELECT ciphertext FROM credentials WHERE ref = ?")
                .param("bindings/" + binding)
                .query(byte[].class)
                .single();

        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain(credentials.get("password").asText())
                .doesNotContain(credentials.get("username").asText());
    }

    @Test
    void originatingIdentityIsRecordedWithEachOperation() {
        String instance = newId();
        String identity = Base64.getEncoder()
                .encodeToString(
                        "{\"user_id\": \"683ea748-3092-4ff4-b656-39cacc4d5360\"}".getBytes(StandardCharsets.UTF_8));
        OsbClient platform = osb.with("X-Broker-API-Originating-Identity", "cloudfoundry " + identity)
                .with("X-Broker-API-Request-Identity", "req-42");

        platform.put(instancePath(instance), fakeProvision("ok"));

        List<Map<String, Object>> events = jdbc.sql(
                        "SELECT event, action, platform, originating_identity, request_identity FROM audit_events"
                                + " WHERE instance_id = ? ORDER BY id")
                .param(instance)
                .query()
                .listOfRows();
        assertThat(events).hasSize(2);
        assertThat(events.get(0))
                .containsEntry("event", "requested")
                .containsEntry("action", "provision")
                .containsEntry("platform", "cloudfoundry")
                .containsEntry("request_identity", "req-42");
        assertThat((String) events.get(0).get("originating_identity")).contains("683ea748-3092-4ff4-b656-39cacc4d5360");
        assertThat(events.get(1)).containsEntry("event", "succeeded");
    }

    @Test
    void contextIsKeptWithTheInstance() {
        String instance = newId();
        osb.put(instancePath(instance), fakeProvision("ok"));

        String context = jdbc.sql("SELECT context FROM service_instances WHERE id = ?")
                .param(instance)
                .query(String.class)
                .single();

        assertThat(context).contains("cloudfoundry", "org-1", "space-1");
    }

    @Test
    void operationsAreCountedAndTimedForPrometheus() {
        osb.put(instancePath(newId()), fakeProvision("ok"));

        OsbClient.Response metrics = osb.get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body().asText())
                .contains(
                        "paasbroker_operations_seconds_count{outcome=\"succeeded\",plan=\"fake\",service=\"controllable\",type=\"provision\"}");
    }
}
