package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deletion the provisioner refuses having changed nothing leaves the instance to its owner, usable. */
class RefusedDeletionIT extends BrokerIT {

    @Test
    void aRefusalKnownUpFrontAnswers422RecordsNothingAndTheInstanceCanStillBeBound() {
        String instance = newId();
        osb.put(instancePath(instance), fakeProvision("refuse-delete"));
        long operations = operationsOf(instance);

        OsbClient.Response refused = osb.delete(deletePath(instance) + "&accepts_incomplete=true");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("description")).contains("still holds objects", "nothing was changed");
        assertThat(operationsOf(instance)).isEqualTo(operations);
        assertThat(fake.calls("deprovision", instance)).isZero();
        assertThat(osb.put(bindingPath(instance, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aRefusalMetOnlyByTheStepLeavesTheInstanceUsableAndBindable() {
        String instance = newId();
        osb.put(instancePath(instance), fakeProvision("refuse-delete-late"));

        OsbClient.Response accepted = osb.delete(deletePath(instance) + "&accepts_incomplete=true");
        OsbClient.Response outcome =
                awaitOperation(instancePath(instance) + "/last_operation?operation=" + accepted.text("operation"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(outcome.text("state")).isEqualTo("failed");
        assertThat(outcome.body().get("instance_usable").asBoolean())
                .as(outcome.toString())
                .isTrue();
        assertThat(outcome.text("description")).contains("still holds objects", "Nothing was changed");
        assertThat(osb.put(bindingPath(instance, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status())
                .isEqualTo(201);
        assertThat(osb.get(instancePath(instance)).status()).isEqualTo(200);
    }

    private static String deletePath(String instance) {
        return instancePath(instance) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN;
    }

    private long operationsOf(String instance) {
        return jdbc.sql("SELECT count(*) FROM operations WHERE instance_id = ?")
                .param(instance)
                .query(Long.class)
                .single();
    }
}
