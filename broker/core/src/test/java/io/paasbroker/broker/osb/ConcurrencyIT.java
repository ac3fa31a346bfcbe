package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A change while another runs on the same instance is refused with 422 ConcurrencyError, and changes nothing. */
class ConcurrencyIT extends BrokerIT {

    private static final String UNBIND_QUERY = "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN;
    private static final String DELETE_QUERY = UNBIND_QUERY + "&accepts_incomplete=true";

    @Test
    void aSynchronousProvisionIdenticalToOneInFlightGivesConcurrencyErrorNotAnAnswerToPoll() {
        String id = newId();
        osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"));

        OsbClient.Response again = osb.put(instancePath(id), fakeProvision("block"));

        assertConcurrencyError(again);
        assertThat(osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"))
                        .status())
                .isEqualTo(202);
        fake.release(id);
        assertThat(awaitOperation(instancePath(id) + "/last_operation").text("state"))
                .isEqualTo("succeeded");
        assertThat(fake.calls("provision", id)).isEqualTo(1);
    }

    @Test
    void bindDuringProvisioningGivesConcurrencyError() {
        String id = newId();
        osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("block"));

        OsbClient.Response bind = osb.put(bindingPath(id, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertConcurrencyError(bind);
        fake.release(id);
        assertThat(awaitOperation(instancePath(id) + "/last_operation").text("state"))
                .isEqualTo("succeeded");
    }

    @Test
    void updateDuringUpdateGivesConcurrencyError() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        OsbClient.Response first = osb.patch(
                instancePath(id) + "?accepts_incomplete=true",
                Map.of("service_id", FAKE_SERVICE, "parameters", Map.of("behaviour", "block")));
        assertThat(first.status()).isEqualTo(202);

        OsbClient.Response second = osb.patch(
                instancePath(id) + "?accepts_incomplete=true",
                Map.of("service_id", FAKE_SERVICE, "parameters", Map.of("size", 4)));

        assertConcurrencyError(second);
        fake.release(id);
        assertThat(awaitOperation(instancePath(id) + "/last_operation").text("state"))
                .isEqualTo("succeeded");
        assertThat(osb.get(instancePath(id)).body().get("parameters").has("size"))
                .isFalse();
    }

    @Test
    void deleteDuringBindGivesConcurrencyError() {
        String id = newId();
        String bindingId = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.put(
                bindingPath(id, bindingId) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "block")));

        OsbClient.Response delete = osb.delete(instancePath(id) + DELETE_QUERY);

        assertConcurrencyError(delete);
        assertThat(delete.text("description")).startsWith("another operation (bind, ");
        fake.release(bindingId);
        assertThat(awaitOperation(bindingPath(id, bindingId) + "/last_operation")
                        .text("state"))
                .isEqualTo("succeeded");
        assertThat(fake.instanceExists(id)).isTrue();
    }

    @Test
    void getDuringUpdateGivesConcurrencyError() {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.patch(
                instancePath(id) + "?accepts_incomplete=true",
                Map.of("service_id", FAKE_SERVICE, "parameters", Map.of("behaviour", "block")));

        assertConcurrencyError(osb.get(instancePath(id)));
        fake.release(id);
        awaitOperation(instancePath(id) + "/last_operation");
    }

    @Test
    void bindingsOfOneInstanceMayBeCreatedSideBySide() {
        String id = newId();
        String slow = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.put(
                bindingPath(id, slow) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "block")));

        OsbClient.Response other = osb.put(bindingPath(id, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        assertThat(other.status()).isEqualTo(201);
        fake.release(slow);
        awaitOperation(bindingPath(id, slow) + "/last_operation");
    }

    @Test
    void concurrentIdenticalProvisionsRunTheStepOnce() throws Exception {
        String id = newId();

        List<Integer> statuses =
                eightAtOnce(() -> osb.put(instancePath(id) + "?accepts_incomplete=true", fakeProvision("ok")));

        assertThat(statuses).allMatch(s -> s == 202 || s == 200);
        assertThat(awaitOperation(instancePath(id) + "/last_operation").text("state"))
                .isEqualTo("succeeded");
        assertThat(fake.calls("provision", id)).isEqualTo(1);
    }

    @Test
    void concurrentIdenticalBindsCreateOneBinding() throws Exception {
        String id = newId();
        String bindingId = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        List<Integer> statuses = eightAtOnce(
                () -> osb.put(bindingPath(id, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "slow"))));

        // one creates it; the others, synchronous, find it in flight (422, not a 202 they did not accept) or done
        assertThat(statuses)
                .as(statuses.toString())
                .containsOnlyOnce(201)
                .allMatch(s -> Set.of(201, 422, 200).contains(s));
        assertThat(fake.calls("bind", bindingId)).isEqualTo(1);
        assertThat(osb.get(bindingPath(id, bindingId)).status()).isEqualTo(200);
    }

    @Test
    void concurrentUnbindsOfOneBindingRunTheStepOnce() throws Exception {
        String id = newId();
        String bindingId = newId();
        String other = newId();
        osb.put(instancePath(id), fakeProvision("ok"));
        osb.put(bindingPath(id, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));
        osb.put(bindingPath(id, other), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));

        List<Integer> statuses = eightAtOnce(() -> osb.delete(bindingPath(id, bindingId) + UNBIND_QUERY));

        // one deletes it; the others find it being deleted (422) or gone (410)
        assertThat(statuses)
                .as(statuses.toString())
                .containsOnlyOnce(200)
                .allMatch(s -> Set.of(200, 422, 410).contains(s));
        assertThat(fake.calls("unbind", bindingId)).isEqualTo(1);
        assertThat(fake.bindingExists(bindingId)).isFalse();
        assertThat(fake.bindingExists(other)).isTrue();
        assertThat(osb.get(bindingPath(id, other)).status()).isEqualTo(200);
    }

    @Test
    void concurrentDeletesOfOneInstanceRunTheStepOnce() throws Exception {
        String id = newId();
        osb.put(instancePath(id), fakeProvision("ok"));

        List<Integer> statuses = eightAtOnce(() -> osb.delete(instancePath(id) + UNBIND_QUERY));

        // one deletes it; the others find it being deleted (422) or gone (410)
        assertThat(statuses)
                .as(statuses.toString())
                .containsOnlyOnce(200)
                .allMatch(s -> Set.of(200, 422, 410).contains(s));
        assertThat(fake.calls("deprovision", id)).isEqualTo(1);
        assertThat(fake.instanceExists(id)).isFalse();
    }

    @Test
    void aBindAndADeleteAtOnceNeverBothSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 10; i++) {
                String id = newId();
                String bindingId = newId();
                osb.put(instancePath(id), fakeProvision("ok"));
                Future<OsbClient.Response> bind = pool.submit(() -> osb.put(
                        bindingPath(id, bindingId), bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "slow"))));
                Future<OsbClient.Response> delete = pool.submit(() -> osb.delete(instancePath(id) + UNBIND_QUERY));

                int bound = bind.get().status();
                int deleted = delete.get().status();
                // whichever is recorded first wins; the other is refused and leaves nothing behind
                assertThat(List.of(bound, deleted))
                        .as("bind %d, delete %d", bound, deleted)
                        .isIn(List.of(201, 422), List.of(404, 200), List.of(422, 200), List.of(410, 200));
                assertThat(fake.bindingExists(bindingId)).isEqualTo(bound == 201);
                assertThat(fake.instanceExists(id)).isEqualTo(deleted != 200);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Sends the same request eight times at once; answers their statuses. */
    private static List<Integer> eightAtOnce(Callable<OsbClient.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<OsbClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(request));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<OsbClient.Response> answer : answers) {
                statuses.add(answer.get().status());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    private static void assertConcurrencyError(OsbClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.text("error")).isEqualTo("ConcurrencyError");
    }
}
