package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two broker processes on one state store serve one platform, which sends each call of a lifecycle to either of
 * them: every operation runs exactly once, and both replicas do work.
 */
class TwoReplicasIT {

    private static final int INSTANCES = 12;

    private static SharedPostgres postgres;

    @BeforeAll
    static void server() {
        postgres = new SharedPostgres();
    }

    @AfterAll
    static void stopServer() throws Exception {
        postgres.close();
    }

    @Test
    void everyOperationRunsExactlyOnceAcrossTwoReplicas() throws Exception {
        Path work = Path.of("target", "it-work", "replicas-" + UUID.randomUUID());
        List<String> properties = postgres.brokerProperties(Catalogs.testCatalog());
        try (BrokerProcess a = BrokerProcess.start("replica-a", work, properties);
                BrokerProcess b = BrokerProcess.start("replica-b", work, properties)) {
            ExecutorService platformThreads = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> lifecycles = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    Platform first = Platform.ofTestCatalog(i % 2 == 0 ? a : b);
                    Platform second = Platform.ofTestCatalog(i % 2 == 0 ? b : a);
                    lifecycles.add(platformThreads.submit(() -> {
                        lifecycle(first, second);
                        return null;
                    }));
                }
                for (Future<?> lifecycle : lifecycles) {
                    lifecycle.get();
                }
            } finally {
                platformThreads.shutdown();
            }

            assertThat(postgres.strings(
                            SharedPostgres.STATE_DATABASE,
                            "SELECT type || '=' || count(*) FROM operations GROUP BY type ORDER BY type"))
                    .containsExactly(
                            "bind=" + INSTANCES,
                            "deprovision=" + INSTANCES,
                            "provision=" + INSTANCES,
                            "unbind=" + INSTANCES);
            assertThat(postgres.strings(SharedPostgres.STATE_DATABASE, "SELECT max(attempts) FROM operations"))
                    .as("no operation was claimed twice")
                    .containsExactly("1");
            assertThat(postgres.strings(
                            SharedPostgres.STATE_DATABASE,
                            "SELECT count(*) FROM operations WHERE state <> 'succeeded'"))
                    .containsExactly("0");
            assertThat(postgres.strings("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'pb\\_%'"))
                    .isEmpty();
            assertThat(postgres.strings("postgres", "SELECT rolname FROM pg_roles WHERE rolname LIKE 'pb\\_%'"))
                    .isEmpty();
            assertThat(completedOperations(a)).as("operations run by replica a").isPositive();
            assertThat(completedOperations(b)).as("operations run by replica b").isPositive();
        }
    }

    /** One instance's life, each step asked of one replica and polled on the other. */
    private static void lifecycle(Platform first, Platform second) throws Exception {
        String instance = UUID.randomUUID().toString();
        String binding = UUID.randomUUID().toString();
        assertThat(first.provision(instance, true).status()).isEqualTo(202);
        assertThat(second.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        assertThat(second.bind(instance, binding, true).status()).isEqualTo(202);
        assertThat(first.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        JsonNode credentials = first.credentials(instance, binding);
        Tenant.execute(credentials, "CREATE TABLE visits (n int)");
        assertThat(first.unbind(instance, binding, true).status()).isEqualTo(202);
        assertThat(second.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThat(Tenant.canConnect(credentials)).isFalse();
        assertThat(second.deprovision(instance, true).status()).isEqualTo(202);
        assertThat(first.awaitInstance(instance).status()).isEqualTo(410);
    }

    private static long completedOperations(BrokerProcess broker) {
        return broker.log()
                .lines()
                .filter(line -> line.contains(" succeeded: "))
                .count();
    }
}
