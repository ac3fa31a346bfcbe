package io.paasbroker.broker.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.ControllableProvisioner;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A secret a provision reports (a cloud database's master password) reaches every later step of the instance, and a
 * binding's unbind gets the credentials the binding was issued: kept in the credential store, never in the state.
 */
class InstanceSecretsIT extends BrokerIT {

    @Test
    void everyLaterStepReadsTheInstancesSecretsAndAnUnbindItsBindingsCredentials() {
        String instance = newId();
        String binding = newId();
        String master = ControllableProvisioner.masterPassword(instance);

        assertThat(osb.put(instancePath(instance), fakeProvision("secret")).status())
                .isEqualTo(201);
        JsonNode issued = credentials(osb.put(bindingPath(instance, binding), bind(FAKE_SERVICE, FAKE_PLAN, Map.of())));
        osb.delete(bindingPath(instance, binding) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN);
        osb.delete(instancePath(instance) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN);

        assertThat(fake.secretsSeen("bind", binding)).containsEntry("master_password", master);
        assertThat(fake.secretsSeen("unbind", binding)).containsEntry("master_password", master);
        assertThat(fake.secretsSeen("deprovision", instance)).containsEntry("master_password", master);
        assertThat(fake.credentialsSeenByUnbind(binding))
                .containsEntry("password", issued.get("password").asText());
        assertThat(jdbc.sql("SELECT count(*) FROM service_instances WHERE outputs::text LIKE ? OR credentials_ref = ?")
                        .params("%" + master + "%", master)
                        .query(Long.class)
                        .single())
                .as("the state store keeps a reference, not the secret")
                .isZero();
    }
}
