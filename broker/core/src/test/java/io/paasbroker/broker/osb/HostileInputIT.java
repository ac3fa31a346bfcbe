package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a careless or hostile client sends: each answered with a 4xx OSB error, and nothing recorded. */
class HostileInputIT extends BrokerIT {

    @Test
    void acceptsIncompleteThatIsNoBooleanAnswers400AndRecordsNothing() {
        String id = newId();

        OsbClient.Response response = osb.put(instancePath(id) + "?accepts_incomplete=maybe", fakeProvision("ok"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).contains("accepts_incomplete");
        assertNothingRecordedFor(id);
    }

    @Test
    void aNulInAGuidOrInTheOperationAnswers400AndRecordsNothing() {
        String id = newId();
        Map<String, Object> body = new LinkedHashMap<>(fakeProvision("ok"));
        body.put("organization_guid", "org\u0000-1");

        OsbClient.Response nulInGuid = osb.put(instancePath(id), body);
        OsbClient.Response nulInParameters = osb.put(
                instancePath(id), provision(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "ok", "note", "a\u0000b")));
        osb.put(instancePath(id), fakeProvision("ok"));
        OsbClient.Response nulInOperation = osb.get(instancePath(id) + "/last_operation?operation=op%00eration");

        assertThat(List.of(nulInGuid, nulInParameters, nulInOperation)).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.text("description")).as(response.toString()).containsAnyOf("NUL", "control");
        });
        assertThat(fake.calls("provision", id)).isEqualTo(1);
    }

    @Test
    void idsWithControlOrBidirectionalOverrideCharactersAnswer400AndRecordNothing() {
        List<String> spoofing =
                List.of("abc%0Aforged-log-line", "abc%1B%5B31m", "abc%E2%80%AEtxt.exe", "abc%E2%81%A6x", "abc%C2%85");
        for (String id : spoofing) {
            OsbClient.Response instance = osb.put(instancePath(id), fakeProvision("ok"));
            assertThat(instance.status()).as(id).isEqualTo(400);
            assertThat(instance.text("description")).as(id).contains("control");
        }
        String instanceId = newId();
        osb.put(instancePath(instanceId), fakeProvision("ok"));
        OsbClient.Response binding =
                osb.put(bindingPath(instanceId, "b%E2%80%8Fx"), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));
        String identity =
                Base64.getEncoder().encodeToString("{\"user_id\": \"u\\u0000\"}".getBytes(StandardCharsets.UTF_8));
        OsbClient.Response platform = osb.with("X-Broker-API-Originating-Identity", "cloudfoundry " + identity)
                .put(instancePath(newId()), fakeProvision("ok"));

        assertThat(binding.status()).isEqualTo(400);
        assertThat(platform.status()).isEqualTo(400);
        assertThat(jdbc.sql("SELECT count(*) FROM service_instances WHERE id LIKE 'abc%'")
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM service_bindings WHERE instance_id = ?")
                        .param(instanceId)
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void anIdLongerThanTheStateStoreKeepsAnswers400WhereverItStands() {
        String tooLong = "x".repeat(256);
        String instanceId = newId();
        osb.put(instancePath(instanceId), fakeProvision("ok"));

        List<OsbClient.Response> responses = List.of(
                osb.put(instancePath(tooLong), fakeProvision("ok")),
                osb.put(bindingPath(tooLong, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of())),
                osb.put(bindingPath(instanceId, tooLong), bind(FAKE_SERVICE, FAKE_PLAN, Map.of())),
                osb.patch(instancePath(tooLong), Map.of("service_id", FAKE_SERVICE)),
                osb.get(instancePath(tooLong) + "/last_operation"),
                osb.delete(bindingPath(tooLong, tooLong) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.text("description")).as(response.toString()).contains("255 characters");
        });
        assertThat(jdbc.sql("SELECT count(*) FROM service_bindings WHERE instance_id = ?")
                        .param(instanceId)
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void aBodyOverTheLimitAnswers413AndRecordsNothing() {
        String id = newId();
        Map<String, Object> body = new LinkedHashMap<>(fakeProvision("ok"));
        body.put("parameters", Map.of("behaviour", "ok", "padding", "x".repeat(10 * 1024 * 1024)));

        OsbClient.Response response = osb.put(instancePath(id), body);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.text("description")).contains("larger than");
        assertNothingRecordedFor(id);
    }

    @Test
    void aBindingIdAlreadyTakenAnswers409WhenTheRequestNamesAnotherPlan() {
        String instanceId = newId();
        String bindingId = newId();
        osb.put(instancePath(instanceId), fakeProvision("ok"));
        assertThat(osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status())
                .isEqualTo(201);

        OsbClient.Response otherPlan =
                osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, "fake-other", Map.of()));
        OsbClient.Response otherService =
                osb.put(bindingPath(instanceId, bindingId), bind(PG_SERVICE, PG_SMALL, Map.of()));

        assertThat(otherPlan.status()).isEqualTo(409);
        assertThat(otherService.status()).isEqualTo(409);
        assertThat(fake.calls("bind", bindingId)).isEqualTo(1);
    }

    @Test
    void lastOperationOfAnOperationTheInstanceNeverHadAnswers400() {
        String instanceId = newId();
        String bindingId = newId();
        osb.put(instancePath(instanceId), fakeProvision("ok"));
        osb.put(bindingPath(instanceId, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        OsbClient.Response instance = osb.get(instancePath(instanceId) + "/last_operation?operation=never-had");
        OsbClient.Response binding =
                osb.get(bindingPath(instanceId, bindingId) + "/last_operation?operation=never-had");
        OsbClient.Response unknownInstance = osb.get(instancePath(newId()) + "/last_operation?operation=never-had");

        assertThat(instance.status()).isEqualTo(400);
        assertThat(instance.text("description")).contains("never-had");
        assertThat(binding.status()).isEqualTo(400);
        assertThat(unknownInstance.status())
                .as("an instance that does not exist")
                .isEqualTo(404);
    }

    private void assertNothingRecordedFor(String id) {
        assertThat(fake.calls("provision", id)).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM service_instances WHERE id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();
    }
}
