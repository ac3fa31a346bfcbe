package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.ControllableProvisioner;
import io.paasbroker.broker.support.OsbClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bind the backing service finishes later (OSB 2.17 asynchronous bindings): 202, polled, then the credentials. */
class AsyncBindingIT extends BrokerIT {

    @Test
    void aBindInProgressIsAnswered202PolledToItsEndAndThenReadable() {
        String instance = newId();
        String binding = newId();
        osb.put(instancePath(instance), fakeProvision("ok"));

        OsbClient.Response accepted = osb.put(
                bindingPath(instance, binding) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "eventual")));
        OsbClient.Response whileMade = osb.get(bindingPath(instance, binding));
        OsbClient.Response done = awaitOperation(
                bindingPath(instance, binding) + "/last_operation?operation=" + accepted.text("operation"));
        OsbClient.Response read = osb.get(bindingPath(instance, binding));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().has("credentials")).isFalse();
        assertThat(whileMade.status())
                .as("no credentials while the user is being made")
                .isEqualTo(404);
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(fake.calls("poll-bind", binding)).isEqualTo(ControllableProvisioner.POLLS_UNTIL_BOUND);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("credentials").get("password").asText()).isEqualTo("secret-" + binding);
    }

    /**
     * The give-up time counts from when the backing service stopped answering, not from when the operation began: a
     * cloud's bind or create runs for minutes, and one unanswered poll late in it is no reason to fail it.
     */
    @Test
    void aMomentsUnavailabilityLongAfterTheBindBeganIsWaitedOut() {
        String instance = newId();
        String binding = newId();
        osb.put(instancePath(instance), fakeProvision("ok"));

        OsbClient.Response accepted = osb.put(
                bindingPath(instance, binding) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "eventual-flaky")));
        OsbClient.Response done = awaitOperation(
                bindingPath(instance, binding) + "/last_operation?operation=" + accepted.text("operation"));

        assertThat(done.text("state"))
                .as(
                        "the first poll, a retry-after (3 s) past the start, beyond give-up-after (1 s), found it unavailable")
                .isEqualTo("succeeded");
        assertThat(fake.calls("poll-bind", binding)).isEqualTo(ControllableProvisioner.POLLS_UNTIL_BOUND);
    }

    @Test
    void anUnbindInProgressIsAnswered202AndPolledUntilTheCredentialsAreGone() {
        String instance = newId();
        String binding = newId();
        osb.put(instancePath(instance), fakeProvision("ok"));
        osb.put(
                bindingPath(instance, binding) + "?accepts_incomplete=true",
                bind(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", "eventual")));
        awaitOperation(bindingPath(instance, binding) + "/last_operation");

        OsbClient.Response accepted = osb.delete(bindingPath(instance, binding) + "?service_id=" + FAKE_SERVICE
                + "&plan_id=" + FAKE_PLAN + "&accepts_incomplete=true");
        OsbClient.Response done = awaitOperation(
                bindingPath(instance, binding) + "/last_operation?operation=" + accepted.text("operation"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(done.status()).as("a finished unbind's binding is gone").isEqualTo(410);
        assertThat(fake.calls("poll-unbind", binding)).isEqualTo(ControllableProvisioner.POLLS_UNTIL_BOUND);
        assertThat(fake.bindingExists(binding)).isFalse();
        assertThat(osb.get(bindingPath(instance, binding)).status()).isEqualTo(404);
    }
}
