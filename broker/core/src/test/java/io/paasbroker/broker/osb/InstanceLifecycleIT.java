package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceLifecycleIT extends BrokerIT {

    @Test
    void synchronousProvisionGivesCreated() {
        OsbClient.Response response = osb.put(instancePath(newId()), fakeProvision("ok"));

        assertThat(response.status()).isEqualTo(201);
    }

    @Test
    void identicalProvisionOfAFinishedInstanceGivesOk() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        OsbClient.Response again = osb.put(instancePath(id), fakeProvision("ok"));

        assertThat(again.status()).isEqualTo(200);
        assertThat(fake.calls("provision", id)).isEqualTo(1);
    }

    @Test
    void provisionWithOtherAttributesGivesConflict() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        Map<String, Object> otherPlan = provision(FAKE_SERVICE, "fake-other", Map.of());
        Map<String, Object> otherParameters = provision(FAKE_SERVICE, FAKE_PLAN, Map.of("size", 3));

        assertThat(osb.put(instancePath(id), otherPlan).status()).isEqualTo(409);
        assertThat(osb.put(instancePath(id), otherParameters).status()).isEqualTo(409);
    }

    @Test
    void asynchronousProvisionGivesAcceptedAndSucceeds() {
        String id = newId();

        OsbClient.Response accepted = osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("ok"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.text("operation")).isNotBlank();
        OsbClient.Response done =
                awaitOperation(instancePath(id) + "/last_operation?operation=" + accepted.text("operation"));
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(done.body().has("instance_usable")).isFalse();
    }

    @Test
    void identicalProvisionWhileInProgressGivesAcceptedWithTheSameOperation() {
        String id = newId();
        OsbClient.Response first = osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"));

        OsbClient.Response second = osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"));

        assertThat(second.status()).isEqualTo(202);
        assertThat(second.text("operation")).isEqualTo(first.text("operation"));
        fake.release(id);
        assertThat(awaitOperation(instancePath(id) + "/last_operation").text("state"))
                .isEqualTo("succeeded");
        assertThat(fake.calls("provision", id)).isEqualTo(1);
    }

    @Test
    void inProgressLastOperationCarriesRetryAfter() {
        String id = newId();
        osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"));
        sleep(300);

        OsbClient.Response polled = osb.get(instancePath(id) + "/last_operation");

        assertThat(polled.text("state")).isEqualTo("in progress");
        assertThat(polled.header("Retry-After")).isEqualTo("3");
        fake.release(id);
        OsbClient.Response done = awaitOperation(instancePath(id) + "/last_operation");
        assertThat(done.header("Retry-After")).isNull();
    }

    @Test
    void asyncOnlyPlanWithoutAcceptsIncompleteGivesAsyncRequired() {
        OsbClient.Response response =
                osb.put(instancePath(newId()), provision(FAKE_SERVICE, "fake-async-only", Map.of()));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.text("error")).isEqualTo("AsyncRequired");
    }

    @Test
    void missingOrganizationOrSpaceGivesBadRequestAndRecordsNothing() {
        String id = newId();
        Map<String, Object> body = new HashMap<>(fakeProvision("ok"));
        body.remove("organization_guid");

        OsbClient.Response response = osb.put(instancePath(id), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).contains("organization_guid");
        assertThat(osb.get(instancePath(id) + "/last_operation").status()).isEqualTo(404);
        assertThat(fake.calls("provision", id)).isZero();
    }

    @Test
    void unknownParameterGivesBadRequestNamingIt() {
        OsbClient.Response response =
                osb.put(instancePath(newId()), provision(FAKE_SERVICE, FAKE_PLAN, Map.of("colour", "blue")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).contains("colour");
    }

    @Test
    void invalidParameterValueGivesBadRequestNamingTheField() {
        OsbClient.Response response =
                osb.put(instancePath(newId()), provision(FAKE_SERVICE, FAKE_PLAN, Map.of("size", "huge")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).contains("size");
    }

    @Test
    void malformedJsonGivesBadRequest() {
        OsbClient.Response response = osb.send("PUT", instancePath(newId()), "{\"service_id\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("description")).isNotBlank();
    }

    @Test
    void unknownPlanGivesBadRequest() {
        assertThat(osb.put(instancePath(newId()), provision(FAKE_SERVICE, "no-such-plan", Map.of()))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void unknownFieldsInTheBodyAreIgnored() {
        Map<String, Object> body = new HashMap<>(fakeProvision("ok"));
        body.put("some_future_field", Map.of("x", 1));

        assertThat(osb.put(instancePath(newId()), body).status()).isEqualTo(201);
    }

    @Test
    void differentMaintenanceVersionGivesMaintenanceInfoConflict() {
        Map<String, Object> body = new HashMap<>(fakeProvision("ok"));
        body.put("maintenance_info", Map.of("version", "1.0.0"));

        OsbClient.Response response = osb.put(instancePath(newId()), body);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.text("error")).isEqualTo("MaintenanceInfoConflict");
    }

    @Test
    void emptyMaintenanceInfoCountsAsAbsent() {
        Map<String, Object> body = new HashMap<>(fakeProvision("ok"));
        body.put("maintenance_info", Map.of());

        assertThat(osb.put(instancePath(newId()), body).status()).isEqualTo(201);
    }

    @Test
    void updateWithThePlansNewMaintenanceVersionUpgradesTheInstance() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        jdbc.sql("UPDATE service_instances SET maintenance_version = '1.0.0' WHERE id = ?")
                .param(id)
                .update();

        OsbClient.Response accepted = osb.patch(
                instancePath(id) + "?accepts_incomplete=true",
                Map.of("service_id", FAKE_SERVICE, "maintenance_info", Map.of("version", "2.0.0")));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(awaitOperation(instancePath(id) + "/last_operation").text("state"))
                .isEqualTo("succeeded");
        assertThat(jdbc.sql("SELECT maintenance_version FROM service_instances WHERE id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("2.0.0");
        assertThat(fake.calls("update", id)).isEqualTo(1);
    }

    @Test
    void planChangeIsAppliedAndVisibleInGet() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        OsbClient.Response updated =
                osb.patch(instancePath(id), Map.of("service_id", FAKE_SERVICE, "plan_id", "fake-other"));

        assertThat(updated.status()).isEqualTo(200);
        assertThat(osb.get(instancePath(id)).text("plan_id")).isEqualTo("fake-other");
    }

    @Test
    void planChangeFromAFixedPlanIsRefusedWithAReason() {
        String id = newId();
        osb.put(instancePath(id), provision(FAKE_SERVICE, "fake-fixed", Map.of()));

        OsbClient.Response refused =
                osb.patch(instancePath(id), Map.of("service_id", FAKE_SERVICE, "plan_id", FAKE_PLAN));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("description")).contains("fixed");
        assertThat(osb.get(instancePath(id)).text("plan_id")).isEqualTo("fake-fixed");
    }

    @Test
    void planChangeTheProvisionerRefusesAnswers422WithItsReasonBeforeAnythingRuns() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        OsbClient.Response refused =
                osb.patch(instancePath(id), Map.of("service_id", FAKE_SERVICE, "plan_id", "fake-apart"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("description")).contains("cannot move between plans 'fake' and 'apart'");
        assertThat(osb.get(instancePath(id)).text("plan_id")).isEqualTo(FAKE_PLAN);
        assertThat(fake.calls("update", id)).isZero();
        assertThat(osb.get(instancePath(id) + "/last_operation").text("state")).isEqualTo("succeeded");
    }

    @Test
    void planChangeToAPlanOfAnotherProvisionerAnswers422() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        OsbClient.Response refused =
                osb.patch(instancePath(id), Map.of("service_id", FAKE_SERVICE, "plan_id", "fake-elsewhere"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("description")).contains("served by different provisioners");
        assertThat(fake.calls("update", id)).isZero();
    }

    @Test
    void getReturnsServicePlanAndParameters() {
        String id = newId();
        osb.put(instancePath(id), provision(FAKE_SERVICE, FAKE_PLAN, Map.of("size", 2)));

        OsbClient.Response instance = osb.get(instancePath(id));

        assertThat(instance.status()).isEqualTo(200);
        assertThat(instance.text("service_id")).isEqualTo(FAKE_SERVICE);
        assertThat(instance.text("plan_id")).isEqualTo(FAKE_PLAN);
        assertThat(instance.body().get("parameters").get("size").asInt()).isEqualTo(2);
    }

    @Test
    void getOfAnUnknownInstanceGivesNotFound() {
        assertThat(osb.get(instancePath(newId())).status()).isEqualTo(404);
    }

    @Test
    void getWhileProvisioningGivesNotFound() {
        String id = newId();
        osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"));

        assertThat(osb.get(instancePath(id)).status()).isEqualTo(404);
        fake.release(id);
        awaitOperation(instancePath(id) + "/last_operation");
    }

    @Test
    void lastOperationOfAnUnknownInstanceGivesNotFound() {
        assertThat(osb.get(instancePath(newId()) + "/last_operation").status()).isEqualTo(404);
    }

    @Test
    void deleteOfAnUnknownInstanceGivesGone() {
        assertThat(osb.delete(instancePath(newId()) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN)
                        .status())
                .isEqualTo(410);
    }

    @Test
    void asynchronousDeleteEndsInGoneOnLastOperation() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        OsbClient.Response accepted = osb.delete(
                instancePath(id) + "?accepts_incomplete=true&service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN);

        assertThat(accepted.status()).isEqualTo(202);
        OsbClient.Response done =
                awaitOperation(instancePath(id) + "/last_operation?operation=" + accepted.text("operation"));
        assertThat(done.status()).isEqualTo(410);
        assertThat(fake.instanceExists(id)).isFalse();
        assertThat(osb.get(instancePath(id)).status()).isEqualTo(404);
        assertThat(osb.delete(instancePath(id) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN)
                        .status())
                .isEqualTo(410);
    }

    @Test
    void anIdOfADeletedInstanceCanBeProvisionedAgain() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.delete(instancePath(id) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN);

        assertThat(osb.put(instancePath(id), fakeProvision("ok")).status()).isEqualTo(201);
        assertThat(fake.instanceExists(id)).isTrue();
    }

    @Test
    void idsMayUseEveryUnreservedCharacter() {
        String id = "Ab-9._~" + newId();

        assertThat(osb.put(instancePath(id), fakeProvision("ok")).status()).isEqualTo(201);
        assertThat(osb.put(bindingPath(id, "b._~" + id), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status())
                .isEqualTo(201);
    }
}
