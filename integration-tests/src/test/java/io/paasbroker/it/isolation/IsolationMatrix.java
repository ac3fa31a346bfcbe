package io.paasbroker.it.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.BrokerProcess;
import io.paasbroker.it.Platform;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenant isolation, service by service, through the services' real clients: tenant B's own credentials work; every
 * attempt of tenant A on B's data or the server is refused; a read-only binding reads and writes nothing, where a
 * plan has none the bind asking for one is refused; unbound credentials stop working while the instance's others go
 * on. Each matrix names its broker and, in a static {@code services()}, its probes.
 */
abstract class IsolationMatrix {

    /** The broker the platform calls. */
    protected abstract BrokerProcess broker();

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void tenantACannotReachTenantBsDataNorTheServer(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker().client(), probe.service(), probe.plan());
        JsonNode tenantA = bound(probe, platform, provisioned(probe, platform), Map.of());
        String instanceB = provisioned(probe, platform);
        JsonNode tenantB = bound(probe, platform, instanceB, Map.of());

        probe.write(tenantA, "data of a");
        probe.write(tenantB, "data of b");
        assertThat(probe.read(tenantB)).isEqualTo("data of b");

        try (AutoCloseable victimSession = openSession(probe, tenantB)) {
            probe.attacks(tenantA, tenantB).forEach((what, attempt) -> {
                Throwable refusal = catchThrowable(attempt::run);
                assertThat(refusal).as("tenant A may not " + what).isNotNull();
                // a probe's own check that failed (the victim's data found, the wrong refusal): no refusal at all
                if (refusal instanceof AssertionError failed) {
                    throw new AssertionError("tenant A may not " + what + ": " + failed.getMessage(), failed);
                }
            });
        }
        assertThat(probe.read(tenantB)).isEqualTo("data of b");
        assertThat(probe.read(tenantA)).isEqualTo("data of a");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void readOnlyBindingReadsAndWritesNothing(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker().client(), probe.service(), probe.plan());
        String instance = provisioned(probe, platform);
        JsonNode writer = bound(probe, platform, instance, Map.of());
        if (!probe.readOnlyBindings()) {
            Map<String, Object> readOnly = new HashMap<>(probe.bindParameters());
            readOnly.put("read_only", true);
            OsbClient.Response refused =
                    platform.bind(instance, UUID.randomUUID().toString(), probe.asynchronous(), readOnly);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            probe.write(writer, "written by the writer");
            assertThat(probe.read(writer)).isEqualTo("written by the writer");
            return;
        }
        JsonNode reader = bound(probe, platform, instance, Map.of("read_only", true));
        probe.write(writer, "written by the writer");

        assertThat(probe.read(reader)).isEqualTo("written by the writer");
        assertThatThrownBy(() -> probe.write(reader, "written by the reader"), "%s: a reader writes", probe)
                .isNotNull();
        assertThat(probe.read(writer)).isEqualTo("written by the writer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void unboundCredentialsStopWorkingAndTheOthersGoOn(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker().client(), probe.service(), probe.plan());
        String instance = provisioned(probe, platform);
        String leaving = UUID.randomUUID().toString();
        JsonNode staying = bound(probe, platform, instance, Map.of());
        JsonNode gone = bound(probe, platform, instance, leaving, Map.of());
        probe.write(gone, "written before the unbind");

        if (probe.asynchronous()) {
            assertThat(platform.unbind(instance, leaving, true).status()).isIn(200, 202);
            assertThat(platform.awaitBinding(instance, leaving).status()).isEqualTo(410);
        } else {
            assertThat(platform.unbind(instance, leaving, false).status()).isEqualTo(200);
        }

        assertThat(probe.canConnect(gone)).isFalse();
        assertThat(probe.read(staying)).isEqualTo("written before the unbind");
    }

    /** A session of the victim's own, so that looking for other tenants' sessions has something to find. */
    private static AutoCloseable openSession(TenantProbe probe, JsonNode victim) throws Exception {
        if (probe instanceof MysqlProbe) {
            Connection session = MysqlProbe.openSession(victim);
            return session::close;
        }
        return () -> {};
    }

    /** A new instance, provisioned as the probe's plans need: in the request, or asynchronously and polled. */
    private static String provisioned(TenantProbe probe, Platform platform) {
        String instance = UUID.randomUUID().toString();
        OsbClient.Response response = platform.provision(instance, probe.asynchronous());
        if (probe.asynchronous()) {
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
            assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        } else {
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
        }
        return instance;
    }

    private static JsonNode bound(
            TenantProbe probe, Platform platform, String instance, Map<String, Object> parameters) {
        return bound(probe, platform, instance, UUID.randomUUID().toString(), parameters);
    }

    private static JsonNode bound(
            TenantProbe probe, Platform platform, String instance, String binding, Map<String, Object> parameters) {
        Map<String, Object> all = new HashMap<>(probe.bindParameters());
        all.putAll(parameters);
        OsbClient.Response response = platform.bind(instance, binding, probe.asynchronous(), all);
        if (!probe.asynchronous()) {
            return credentials(response);
        }
        assertThat(response.status()).as(response.toString()).isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    private static JsonNode credentials(OsbClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body().get("credentials");
    }
}
