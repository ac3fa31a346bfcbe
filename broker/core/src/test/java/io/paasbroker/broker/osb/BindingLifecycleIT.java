package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.ControllableProvisioner;
import io.paasbroker.broker.support.OsbClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BindingLifecycleIT extends BrokerIT {

    private static final String UNBIND_QUERY = "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN;

    private String instanceId;

    @BeforeEach
    void instance() {
        instanceId = newId();
        assertThat(osb.put(instancePath(instanceId), fakeProvision("ok")).status())
                .isEqualTo(201);
    }

    @Test
    void synchronousBindGivesCreatedWithCredentials() {
        String bindingId = newId();

        OsbClient.Response bound = osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(bound.status()).isEqualTo(201);
        assertThat(credentials(bound).get("password").asText()).isEqualTo("secret-" + bindingId);
    }

    @Test
    void synchronousAnswerSaysHowLongTheBackingServiceAndTheBrokerTook() {
        Map<String, Double> slow = serverTiming(
                osb.put(bindingPath(instanceId, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "slow"))));

        assertThat(slow.get("backing")).isBetween((double) ControllableProvisioner.SLOW_STEP_MILLIS, 10_000.0);
        assertThat(slow.get("total")).isGreaterThan(slow.get("backing"));
        Map<String, Double> quick =
                serverTiming(osb.put(bindingPath(instanceId, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of())));
        assertThat(quick.get("backing")).isLessThan(ControllableProvisioner.SLOW_STEP_MILLIS);
        assertThat(quick.get("total")).isGreaterThan(quick.get("backing")).isLessThan(slow.get("total"));
    }

    /** The metrics of a {@code Server-Timing} header ({@code name;dur=ms, ...}) by name. */
    private static Map<String, Double> serverTiming(OsbClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        Map<String, Double> metrics = new HashMap<>();
        for (String metric : response.header("Server-Timing").split(",")) {
            String[] parts = metric.strip().split(";dur=");
            metrics.put(parts[0], Double.parseDouble(parts[1]));
        }
        assertThat(metrics).containsOnlyKeys("backing", "total");
        return metrics;
    }

    @Test
    void identicalBindGivesOkWithTheSameCredentials() {
        String bindingId = newId();
        OsbClient.Response first = osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        OsbClient.Response again = osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(again.status()).isEqualTo(200);
        assertThat(credentials(again)).isEqualTo(credentials(first));
        assertThat(fake.calls("bind", bindingId)).isEqualTo(1);
    }

    @Test
    void bindWithOtherParametersGivesConflict() {
        String bindingId = newId();
        osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of("size", 2)))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void bindToAnUnknownInstanceGivesAClientError() {
        OsbClient.Response response = osb.put(bindingPath(newId(), newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.text("description")).contains("does not exist");
    }

    @Test
    void invalidBindParameterGivesBadRequestAndNoBinding() {
        String bindingId = newId();

        OsbClient.Response response =
                osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of("role", "admin")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).contains("role");
        assertThat(osb.get(bindingPath(instanceId, bindingId)).status()).isEqualTo(404);
        assertThat(fake.calls("bind", bindingId)).isZero();
    }

    @Test
    void getOfABindingReturnsItsCredentials() {
        String bindingId = newId();
        osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        OsbClient.Response fetched = osb.get(bindingPath(instanceId, bindingId));

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(credentials(fetched).get("username").asText()).isEqualTo("user-" + bindingId);
    }

    @Test
    void unbindRevokesAndASecondUnbindGivesGone() {
        String bindingId = newId();
        osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(osb.delete(bindingPath(instanceId, bindingId) + UNBIND_QUERY).status())
                .isEqualTo(200);
        assertThat(fake.bindingExists(bindingId)).isFalse();
        assertThat(osb.delete(bindingPath(instanceId, bindingId) + UNBIND_QUERY).status())
                .isEqualTo(410);
        assertThat(osb.get(bindingPath(instanceId, bindingId)).status()).isEqualTo(404);
    }

    @Test
    void asynchronousBindAndUnbindArePolledToTheirEnd() {
        String bindingId = newId();

        OsbClient.Response accepted = osb.put(
                bindingPath(instanceId, bindingId) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(awaitOperation(bindingPath(instanceId, bindingId) + "/last_operation?operation="
                                + accepted.text("operation"))
                        .text("state"))
                .isEqualTo("succeeded");
        assertThat(credentials(osb.get(bindingPath(instanceId, bindingId)))
                        .get("password")
                        .asText())
                .isEqualTo("secret-" + bindingId);

        OsbClient.Response unbinding =
                osb.delete(bindingPath(instanceId, bindingId) + UNBIND_QUERY + "&accepts_incomplete=true");
        assertThat(unbinding.status()).isEqualTo(202);
        assertThat(awaitOperation(bindingPath(instanceId, bindingId) + "/last_operation")
                        .status())
                .isEqualTo(410);
    }

    @Test
    void lastOperationOfAnUnknownBindingGivesNotFound() {
        assertThat(osb.get(bindingPath(instanceId, newId()) + "/last_operation").status())
                .isEqualTo(404);
    }

    @Test
    void deleteOfAnUnknownBindingGivesGone() {
        assertThat(osb.delete(bindingPath(instanceId, newId()) + UNBIND_QUERY).status())
                .isEqualTo(410);
    }

    @Test
    void deprovisionRemovesTheInstancesBindingsAndTheirCredentials() {
        String bindingId = newId();
        osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(osb.delete(instancePath(instanceId) + UNBIND_QUERY).status()).isEqualTo(200);

        assertThat(osb.get(bindingPath(instanceId, bindingId)).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM credentials WHERE ref LIKE ?")
                        .param("%" + bindingId)
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
