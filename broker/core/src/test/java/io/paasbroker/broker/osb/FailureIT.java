package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A backing service's failure becomes a failed operation that says what to do, and leaves nothing behind. */
class FailureIT extends BrokerIT {

    private static final String DELETE_QUERY = "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN;

    @Test
    void failedAsynchronousProvisionIsReportedAndCleanedUp() {
        String id = newId();
        osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("fail"));

        OsbClient.Response failed = awaitOperation(instancePath(id) + "/last_operation");

        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.text("description")).contains("quota exceeded", "Nothing was left behind");
        assertThat(failed.body().has("instance_usable")).isFalse();
        assertThat(fake.instanceExists(id)).isFalse();
        assertThat(fake.calls("deprovision", id)).isEqualTo(1);
        assertThat(osb.delete(instancePath(id) + DELETE_QUERY).status()).isEqualTo(200);
    }

    /**
     * During a rolling deployment a replica with a newer catalog may record an update to a plan this replica does not
     * know: the operation fails saying why, and the instance takes requests again instead of staying updating.
     */
    @Test
    void anUpdateToAPlanThisReplicaDoesNotKnowFailsAndLeavesTheInstanceUsable() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        jdbc.sql("UPDATE service_instances SET state = 'updating' WHERE id = ?")
                .param(id)
                .update();
        jdbc.sql("INSERT INTO operations (id, instance_id, type, state, request)"
                        + " VALUES (?, ?, 'update', 'in progress', '{\"plan_id\": \"plan-of-a-newer-catalog\"}')")
                .params("newer-" + id, id)
                .update();

        OsbClient.Response failed = awaitOperation(instancePath(id) + "/last_operation");

        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.text("description")).contains("plan-of-a-newer-catalog left the catalog");
        OsbClient.Response updated =
                osb.patch(instancePath(id), Map.of("service_id", FAKE_SERVICE, "plan_id", "fake-other"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    }

    @Test
    void failedSynchronousProvisionGivesBadGatewayWithTheReason() {
        String id = newId();

        OsbClient.Response response = osb.put(instancePath(id), fakeProvision("fail"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.text("description")).contains("quota exceeded");
        assertThat(fake.instanceExists(id)).isFalse();
    }

    @Test
    void unavailableServerIsRetriedThenReportedAsFailed() {
        String id = newId();
        osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("unavailable"));

        OsbClient.Response failed = awaitOperation(instancePath(id) + "/last_operation");

        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.text("description")).contains("not answering");
        assertThat(fake.calls("provision", id)).isGreaterThan(1);
    }

    @Test
    void failedUpdateKeepsTheInstanceUsableAndRepeatable() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.patch(
                instancePath(id) + "?accepts_incomplete=true",
                Map.of("service_id", FAKE_SERVICE, "parameters", Map.of("behaviour", "fail")));

        OsbClient.Response failed = awaitOperation(instancePath(id) + "/last_operation");

        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.body().get("instance_usable").asBoolean()).isTrue();
        assertThat(failed.body().get("update_repeatable").asBoolean()).isTrue();
        assertThat(osb.get(instancePath(id))
                        .body()
                        .get("parameters")
                        .get("behaviour")
                        .asText())
                .isEqualTo("ok");
    }

    @Test
    void failedBindIssuesNoCredentialsAndCanBeDeleted() {
        String id = newId();
        String bindingId = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.put(
                bindingPath(id, bindingId) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "fail")));

        OsbClient.Response failed = awaitOperation(bindingPath(id, bindingId) + "/last_operation");

        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.text("description")).contains("No credentials were issued");
        assertThat(fake.bindingExists(bindingId)).isFalse();
        assertThat(osb.get(bindingPath(id, bindingId)).status()).isEqualTo(404);
        assertThat(osb.delete(bindingPath(id, bindingId) + DELETE_QUERY).status())
                .isEqualTo(200);
    }
}
