package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.OsbClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant server that goes down: provisions and binds become failed operations with a useful description within
 * the configured time, and once the server is back, deleting what failed leaves nothing behind on it.
 */
class ServerOutageIT {

    private static SharedPostgres state;
    private static SharedPostgres tenants;
    private static BrokerProcess broker;

    @BeforeAll
    static void start() {
        state = new SharedPostgres();
        tenants = new SharedPostgres();
        List<String> properties = new ArrayList<>(state.brokerProperties(Catalogs.testCatalog(), tenants));
        properties.add("paasbroker.local.postgres[0].connect-timeout=1s");
        properties.add("paasbroker.operations.give-up-after=4s");
        properties.add("paasbroker.operations.retry-backoff=500ms");
        broker = BrokerProcess.start("outage", Path.of("target", "it-work", "outage-" + UUID.randomUUID()), properties);
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        tenants.close();
        state.close();
    }

    @Test
    void provisionsAndBindsFailWithAReasonWhileTheServerIsDownAndLeaveNothingOnceItIsBack() throws Exception {
        Platform platform = Platform.ofTestCatalog(broker);
        String bound = UUID.randomUUID().toString();
        assertThat(platform.provision(bound, false).status()).isEqualTo(201);
        String failedInstance = UUID.randomUUID().toString();
        String failedBinding = UUID.randomUUID().toString();

        tenants.stop();
        try {
            Instant asked = Instant.now();
            assertThat(platform.provision(failedInstance, true).status()).isEqualTo(202);
            OsbClient.Response provision = platform.awaitInstance(failedInstance);
            assertThat(provision.text("state")).isEqualTo("failed");
            assertThat(provision.text("description"))
                    .contains("PostgreSQL server 'shared'")
                    .containsAnyOf("delete this instance", "deleting this instance");
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(20));

            OsbClient.Response synchronous =
                    platform.provision(UUID.randomUUID().toString(), false);
            assertThat(synchronous.status()).isEqualTo(502);
            assertThat(synchronous.text("description")).contains("PostgreSQL server 'shared'");

            assertThat(platform.bind(bound, failedBinding, true).status()).isEqualTo(202);
            OsbClient.Response bind = platform.awaitBinding(bound, failedBinding);
            assertThat(bind.text("state")).isEqualTo("failed");
            assertThat(bind.text("description")).contains("PostgreSQL server 'shared'");
        } finally {
            tenants.restart();
        }

        assertThat(platform.unbind(bound, failedBinding, false).status()).isEqualTo(200);
        assertThat(platform.deprovision(failedInstance, false).status()).isEqualTo(200);
        assertThat(platform.deprovision(bound, false).status()).isEqualTo(200);
        assertThat(tenants.strings("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'pb\\_%'"))
                .isEmpty();
        assertThat(tenants.strings("postgres", "SELECT rolname FROM pg_roles WHERE rolname LIKE 'pb\\_%'"))
                .isEmpty();
    }
}
