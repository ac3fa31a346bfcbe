package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two platforms share the broker: each sees its own instances and bindings, the other's as ids nobody used. */
class PlatformOwnershipIT extends BrokerIT {

    @Test
    void anotherPlatformGetsTheAnswersOfAnUnknownIdAndChangesNothing() {
        String instance = newId();
        String binding = newId();
        assertThat(osb.put(instancePath(instance), fakeProvision("ok")).status())
                .isEqualTo(201);
        assertThat(osb.put(bindingPath(instance, binding), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status())
                .isEqualTo(201);
        OsbClient other = osb.as(SECOND_PLATFORM, SECOND_PASSWORD);
        String unknown = newId();

        assertThat(other.get(instancePath(instance)).status())
                .isEqualTo(other.get(instancePath(unknown)).status())
                .isEqualTo(404);
        assertThat(other.get(instancePath(instance) + "/last_operation").status())
                .isEqualTo(other.get(instancePath(unknown) + "/last_operation").status())
                .isEqualTo(404);
        OsbClient.Response credentials = other.get(bindingPath(instance, binding));
        assertThat(credentials.status()).isEqualTo(404);
        assertThat(credentials.raw().body()).doesNotContain("secret-" + binding);
        assertThat(other.put(bindingPath(instance, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status())
                .isEqualTo(other.put(bindingPath(unknown, newId()), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()))
                        .status());
        assertThat(other.patch(instancePath(instance), Map.of("service_id", FAKE_SERVICE, "plan_id", "fake-other"))
                        .status())
                .isEqualTo(422);
        String unbind = bindingPath(instance, binding) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN;
        String deprovision = instancePath(instance) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN;
        assertThat(other.delete(unbind).status()).isEqualTo(410);
        assertThat(other.delete(deprovision).status()).isEqualTo(410);
        assertThat(other.put(instancePath(instance), fakeProvision("ok")).status())
                .isEqualTo(409);

        assertThat(fake.calls("unbind", binding)).isZero();
        assertThat(fake.calls("deprovision", instance)).isZero();
        assertThat(fake.calls("update", instance)).isZero();
        OsbClient.Response own = osb.get(bindingPath(instance, binding));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body().get("credentials").get("password").asText()).isEqualTo("secret-" + binding);
        assertThat(osb.delete(unbind).status()).isEqualTo(200);
        assertThat(osb.delete(deprovision).status()).isEqualTo(200);
    }

    @Test
    void eachPlatformWorksWithItsOwnInstances() {
        OsbClient other = osb.as(SECOND_PLATFORM, SECOND_PASSWORD);
        String theirs = newId();

        assertThat(other.put(instancePath(theirs), fakeProvision("ok")).status())
                .isEqualTo(201);

        assertThat(other.get(instancePath(theirs)).status()).isEqualTo(200);
        assertThat(osb.get(instancePath(theirs)).status()).isEqualTo(404);
    }
}
