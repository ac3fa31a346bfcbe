package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL at several points of a provision, a bind, an unbind and a deprovision running at once, then a restart on
 * the same state store: every operation finishes, nothing is left orphaned or made twice, and every binding has its
 * credentials.
 */
class KillAndRestartIT {

    private static final long[] KILL_AFTER_MILLIS = {0, 30, 80, 200};

    private static SharedPostgres postgres;
    private static Path work;

    @BeforeAll
    static void server() {
        postgres = new SharedPostgres();
        work = Path.of("target", "it-work", "kill-" + UUID.randomUUID());
    }

    @AfterAll
    static void stopServer() throws Exception {
        postgres.close();
    }

    @Test
    void operationsInterruptedBySigkillFinishAfterRestartWithNothingOrphanedOrDoubled() throws SQLException {
        List<String> properties = postgres.brokerProperties(Catalogs.testCatalog());
        List<BrokerProcess> started = new ArrayList<>();
        BrokerProcess broker = BrokerProcess.start("broker-0", work, properties);
        started.add(broker);
        Set<String> liveDatabases = new HashSet<>();
        List<String> issuedPasswords = new ArrayList<>();
        int liveBindings = 0;
        try {
            for (int round = 0; round < KILL_AFTER_MILLIS.length; round++) {
                Platform platform = Platform.ofTestCatalog(broker);
                String kept = id();
                String keptBinding = id();
                String leaving = id();
                String doomed = id();
                String doomedBinding = id();
                assertThat(platform.provision(kept, false).status()).isEqualTo(201);
                JsonNode keptCredentials = credentials(platform.bind(kept, keptBinding, false));
                JsonNode leavingCredentials = credentials(platform.bind(kept, leaving, false));
                assertThat(platform.provision(doomed, false).status()).isEqualTo(201);
                JsonNode doomedCredentials = credentials(platform.bind(doomed, doomedBinding, false));
                Tenant.execute(keptCredentials, "CREATE TABLE IF NOT EXISTS rounds (n int)");
                Tenant.execute(keptCredentials, "INSERT INTO rounds VALUES (" + round + ")");

                String fresh = id();
                String added = id();
                assertThat(platform.provision(fresh, true).status()).isEqualTo(202);
                assertThat(platform.bind(kept, added, true).status()).isEqualTo(202);
                assertThat(platform.unbind(kept, leaving, true).status()).isEqualTo(202);
                assertThat(platform.deprovision(doomed, true).status()).isEqualTo(202);
                BrokerProcess.sleep(KILL_AFTER_MILLIS[round]);
                broker.kill();

                broker = BrokerProcess.start("broker-" + (round + 1), work, properties);
                started.add(broker);
                platform = Platform.ofTestCatalog(broker);
                assertThat(platform.awaitInstance(fresh).text("state"))
                        .as("provision, round " + round)
                        .isEqualTo("succeeded");
                assertThat(platform.awaitBinding(kept, added).text("state"))
                        .as("bind, round " + round)
                        .isEqualTo("succeeded");
                assertThat(platform.awaitBinding(kept, leaving).status())
                        .as("unbind, round " + round)
                        .isEqualTo(410);
                assertThat(platform.awaitInstance(doomed).status())
                        .as("deprovision, round " + round)
                        .isEqualTo(410);

                JsonNode addedCredentials = platform.credentials(kept, added);
                assertThat(Tenant.queryOne(addedCredentials, "SELECT count(*) FROM rounds"))
                        .isEqualTo("1");
                assertThat(Tenant.canConnect(keptCredentials)).isTrue();
                assertThat(Tenant.canConnect(leavingCredentials)).isFalse();
                assertThat(Tenant.canConnect(doomedCredentials)).isFalse();
                JsonNode freshCredentials = credentials(platform.bind(fresh, id(), false));
                Tenant.execute(freshCredentials, "CREATE TABLE fresh (ok boolean)");

                liveDatabases.add(keptCredentials.get("name").asText());
                liveDatabases.add(freshCredentials.get("name").asText());
                liveBindings += 3; // kept's first and added binding, fresh's binding
                for (JsonNode c : List.of(
                        keptCredentials, leavingCredentials, doomedCredentials, addedCredentials, freshCredentials)) {
                    issuedPasswords.add(c.get("password").asText());
                }
            }
            assertThat(postgres.strings("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'pb\\_%'"))
                    .as("tenant databases on the server")
                    .containsExactlyInAnyOrderElementsOf(liveDatabases);
            assertThat(postgres.strings("postgres", "SELECT rolname FROM pg_roles WHERE rolname LIKE 'pb\\_%\\_b%'"))
                    .as("binding roles on the server")
                    .hasSize(liveBindings);
            assertThat(postgres.strings("postgres", "SELECT rolname FROM pg_roles WHERE rolname LIKE 'pb\\_%\\_owner'"))
                    .as("instance owner roles on the server")
                    .hasSize(liveDatabases.size());
            assertThat(postgres.strings(
                            SharedPostgres.STATE_DATABASE,
                            "SELECT count(*) FROM operations WHERE state = 'in progress'"))
                    .containsExactly("0");
        } finally {
            broker.close();
        }
        for (BrokerProcess process : started) {
            String log = process.log();
            issuedPasswords.forEach(password -> assertThat(log).doesNotContain(password));
        }
    }

    private static JsonNode credentials(io.paasbroker.broker.support.OsbClient.Response bound) {
        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        return bound.body().get("credentials");
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
