package io.paasbroker.it.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.BrokerProcess;
import io.paasbroker.it.Platform;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenant isolation, service by service, on the broker's embedded default and through the services' real clients:
 * tenant B's own credentials work; every attempt of tenant A on B's data or the server is refused; a read-only
 * binding reads and writes nothing; unbound credentials stop working while the instance's others go on.
 */
class IsolationMatrixIT {

    private static BrokerProcess broker;

    @BeforeAll
    static void broker() {
        broker = BrokerProcess.start(
                "isolation", Path.of("target", "it-work", "isolation-" + UUID.randomUUID()), List.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Stream<TenantProbe> services() {
        return Stream.of(new PostgresProbe(), new MysqlProbe(), new RedisProbe(), new S3Probe(), new OpenSearchProbe());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void tenantACannotReachTenantBsDataNorTheServer(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker.client(), probe.service(), probe.plan());
        JsonNode tenantA = bound(platform, provisioned(platform), Map.of());
        String instanceB = provisioned(platform);
        JsonNode tenantB = bound(platform, instanceB, Map.of());

        probe.write(tenantA, "data of a");
        probe.write(tenantB, "data of b");
        assertThat(probe.read(tenantB)).isEqualTo("data of b");

        try (AutoCloseable victimSession = openSession(probe, tenantB)) {
            probe.attacks(tenantA, tenantB)
                    .forEach((what, attempt) -> assertThatThrownBy(attempt::run)
                            .as("tenant A may not " + what)
                            .isNotNull());
        }
        assertThat(probe.read(tenantB)).isEqualTo("data of b");
        assertThat(probe.read(tenantA)).isEqualTo("data of a");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void readOnlyBindingReadsAndWritesNothing(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker.client(), probe.service(), probe.plan());
        String instance = provisioned(platform);
        JsonNode writer = bound(platform, instance, Map.of());
        JsonNode reader = bound(platform, instance, Map.of("read_only", true));
        probe.write(writer, "written by the writer");

        assertThat(probe.read(reader)).isEqualTo("written by the writer");
        assertThatThrownBy(() -> probe.write(reader, "written by the reader"), "%s: a reader writes", probe)
                .isNotNull();
        assertThat(probe.read(writer)).isEqualTo("written by the writer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void unboundCredentialsStopWorkingAndTheOthersGoOn(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker.client(), probe.service(), probe.plan());
        String instance = provisioned(platform);
        String leaving = UUID.randomUUID().toString();
        JsonNode staying = bound(platform, instance, Map.of());
        JsonNode gone = credentials(platform.bind(instance, leaving, false, Map.of()));
        probe.write(gone, "written before the unbind");

        assertThat(platform.unbind(instance, leaving, false).status()).isEqualTo(200);

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

    private static String provisioned(Platform platform) {
        String instance = UUID.randomUUID().toString();
        OsbClient.Response response = platform.provision(instance, false);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return instance;
    }

    private static JsonNode bound(Platform platform, String instance, Map<String, Object> parameters) {
        return credentials(platform.bind(instance, UUID.randomUUID().toString(), false, parameters));
    }

    private static JsonNode credentials(OsbClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body().get("credentials");
    }
}
