package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.provisioner.testcloud.TestCloud;
import io.paasbroker.provisioner.testcloud.TestCloudApplication;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker with a provisioner that behaves like a cloud's, plugged in as a module jar the way an operator adds one:
 * the test cloud's databases take 2 s to create, resize and delete, its keys work 1 s after they are made, and every
 * step answers in progress and is polled. The cloud lives in this process, so it outlives the brokers killed here and
 * counts what was really created and deleted.
 */
class CloudProvisionerIT {

    private static final String SERVICE = "it-cloud-db";
    private static final String SMALL = "it-cloud-small";
    private static final String LARGE = "it-cloud-large";
    /** Each claimed operation step in the replica's log, with the replica that claimed it. */
    private static final String RUNS_LOGGED = "logging.level.io.paasbroker.broker.operations.OperationRunner=DEBUG";

    private static SharedPostgres postgres;
    private static TestCloud cloud;

    private final List<BrokerProcess> started = new ArrayList<>();
    private final Path work = Path.of("target", "it-work", "cloud-" + UUID.randomUUID());

    @BeforeAll
    static void servers() {
        postgres = new SharedPostgres();
        cloud = TestCloud.start(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stopServers() throws IOException {
        cloud.close();
        postgres.close();
    }

    @AfterEach
    void stopBrokers() {
        started.forEach(BrokerProcess::close);
    }

    @Test
    void everyStepIsPolledToItsEndAndRunsOnceInTheCloud() throws Exception {
        BrokerProcess broker = start("lifecycle");
        Platform platform = new Platform(broker.client(), SERVICE, SMALL);
        String instance = id();
        String binding = id();

        assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        assertThat(lastOperationOf(broker, instance).text("state")).isEqualTo("in progress");
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        assertThat(platform.bind(instance, id(), false).status())
                .as("a platform that cannot wait is refused: the cloud's keys take a while")
                .isEqualTo(422);
        assertThat(platform.bind(instance, binding, true).status()).isEqualTo(202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        JsonNode credentials = platform.credentials(instance, binding);
        assertThat(writeData(credentials, "kept through a resize")).isEqualTo(204);

        OsbClient.Response resize = broker.client()
                .patch(
                        "/v2/service_instances/" + instance + "?accepts_incomplete=true",
                        Map.of("service_id", SERVICE, "plan_id", LARGE));
        assertThat(resize.status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).text("state")).isEqualTo("succeeded");
        assertThat(readData(credentials)).isEqualTo("kept through a resize");

        assertThat(platform.unbind(instance, binding, true).status()).isIn(200, 202);
        assertThat(platform.awaitBinding(instance, binding).status()).isEqualTo(410);
        assertThat(readStatus(credentials)).as("an unbound key").isEqualTo(401);
        assertThat(new Platform(broker.client(), SERVICE, LARGE)
                        .deprovision(instance, true)
                        .status())
                .isEqualTo(202);
        assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);

        String database = databaseOf(instance);
        assertThat(cloud.creations(database)).isEqualTo(1);
        assertThat(cloud.deletions(database)).isEqualTo(1);
        assertThat(cloud.resources()).noneMatch(name -> name.startsWith(database));
    }

    @Test
    void aDatabaseTheCloudFailsPartWayFailsTheProvisionWithTheCloudsReasonAndIsDeletedAfter() throws Exception {
        BrokerProcess broker = start("failing");
        Platform platform = new Platform(broker.client(), SERVICE, SMALL);
        String instance = id();

        assertThat(platform.provision(instance, true, Map.of("fail_while_creating", true))
                        .status())
                .isEqualTo(202);
        OsbClient.Response failed = platform.awaitInstance(instance);

        assertThat(failed.text("state")).isEqualTo("failed");
        assertThat(failed.text("description")).contains("failed creating " + databaseOf(instance));
        assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        assertThat(cloud.resources()).noneMatch(name -> name.startsWith(databaseOf(instance)));
    }

    @Test
    void aBrokerKilledWhileItPollsFinishesEveryOperationOnceWhenStartedAgain() throws Exception {
        BrokerProcess first = start("polling-1");
        Platform platform = new Platform(first.client(), SERVICE, SMALL);
        List<String> instances = List.of(id(), id(), id(), id());
        for (String instance : instances) {
            assertThat(platform.provision(instance, true).status()).isEqualTo(202);
        }
        BrokerProcess.sleep(800);
        first.kill();

        BrokerProcess second = start("polling-2");
        Platform again = new Platform(second.client(), SERVICE, SMALL);
        List<String> bindings = new ArrayList<>();
        for (String instance : instances) {
            assertThat(again.awaitInstance(instance).text("state")).isEqualTo("succeeded");
            String binding = id();
            bindings.add(binding);
            assertThat(again.bind(instance, binding, true).status()).isEqualTo(202);
        }
        BrokerProcess.sleep(300);
        second.kill();

        BrokerProcess third = start("polling-3");
        Platform last = new Platform(third.client(), SERVICE, SMALL);
        for (int i = 0; i < instances.size(); i++) {
            assertThat(last.awaitBinding(instances.get(i), bindings.get(i)).text("state"))
                    .isEqualTo("succeeded");
            assertThat(writeData(last.credentials(instances.get(i), bindings.get(i)), "after two kills"))
                    .isEqualTo(204);
            assertThat(last.deprovision(instances.get(i), true).status()).isEqualTo(202);
        }
        for (String instance : instances) {
            assertThat(last.awaitInstance(instance).status()).isEqualTo(410);
            assertThat(cloud.creations(databaseOf(instance)))
                    .as("creations of " + instance)
                    .isEqualTo(1);
            assertThat(cloud.deletions(databaseOf(instance)))
                    .as("deletions of " + instance)
                    .isEqualTo(1);
        }
        assertThat(operationsNotSucceeded(instances)).isEmpty();
    }

    @Test
    void twoReplicasShareThePollingAndEachOperationRunsOnce() throws Exception {
        BrokerProcess a = start("replica-a", RUNS_LOGGED);
        BrokerProcess b = start("replica-b", RUNS_LOGGED);
        ExecutorService platformThreads = Executors.newFixedThreadPool(6);
        List<String> instances = new ArrayList<>();
        try {
            List<Future<?>> lifecycles = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String instance = id();
                instances.add(instance);
                Platform asking = new Platform((i % 2 == 0 ? a : b).client(), SERVICE, SMALL);
                Platform polling = new Platform((i % 2 == 0 ? b : a).client(), SERVICE, SMALL);
                lifecycles.add(platformThreads.submit(() -> {
                    String binding = id();
                    assertThat(asking.provision(instance, true).status()).isEqualTo(202);
                    assertThat(polling.awaitInstance(instance).text("state")).isEqualTo("succeeded");
                    assertThat(polling.bind(instance, binding, true).status()).isEqualTo(202);
                    assertThat(asking.awaitBinding(instance, binding).text("state"))
                            .isEqualTo("succeeded");
                    assertThat(writeData(asking.credentials(instance, binding), "two replicas"))
                            .isEqualTo(204);
                    assertThat(asking.deprovision(instance, true).status()).isEqualTo(202);
                    assertThat(polling.awaitInstance(instance).status()).isEqualTo(410);
                    return null;
                }));
            }
            for (Future<?> lifecycle : lifecycles) {
                lifecycle.get();
            }
        } finally {
            platformThreads.shutdown();
        }

        for (String instance : instances) {
            assertThat(cloud.creations(databaseOf(instance))).isEqualTo(1);
            assertThat(cloud.deletions(databaseOf(instance))).isEqualTo(1);
        }
        assertThat(operationsNotSucceeded(instances)).isEmpty();
        assertThat(stepsRunBy(a))
                .as(() -> "operation steps run by replica a; its warnings: " + warningsIn(a))
                .isPositive();
        assertThat(stepsRunBy(b))
                .as(() -> "operation steps run by replica b; its warnings: " + warningsIn(b))
                .isPositive();
    }

    @Test
    void aSnapshotTheCloudKeepsRestoresIntoANewInstanceAndIsDeletedWhenItExpires() throws Exception {
        int snapshotsBefore = cloud.snapshots().size();
        BrokerProcess broker = start(
                "snapshots",
                "paasbroker.backups.snapshot-poll-interval=200ms",
                "paasbroker.backups.keep-on-demand=20s",
                "paasbroker.backups.check-interval=1s");
        Platform platform = new Platform(broker.client(), SERVICE, SMALL);
        String source = id();
        assertThat(platform.provision(source, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(source).text("state")).isEqualTo("succeeded");
        JsonNode sourceCredentials = bound(platform, source);
        assertThat(writeData(sourceCredentials, "in the snapshot")).isEqualTo(204);

        JsonNode backup = platform.backUpNow(source, "snapshot");
        assertThat(cloud.snapshots()).hasSize(snapshotsBefore + 1);
        assertThat(writeData(sourceCredentials, "after the snapshot")).isEqualTo(204);

        String restored = id();
        platform.restore(restored, backup);
        assertThat(readData(bound(platform, restored))).isEqualTo("in the snapshot");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (cloud.snapshots().size() > snapshotsBefore && Instant.now().isBefore(deadline)) {
            BrokerProcess.sleep(500);
        }
        assertThat(cloud.snapshots()).as("the expired backup's snapshot").hasSize(snapshotsBefore);
        for (String instance : List.of(source, restored)) {
            assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        }
    }

    @Test
    void aNewInstanceStartsWithAnotherInstancesDataAsItWasAtAMomentTheCloudKeeps() throws Exception {
        BrokerProcess broker = start("point-in-time");
        Platform platform = new Platform(broker.client(), SERVICE, SMALL);
        String source = id();
        assertThat(platform.provision(source, true).status()).isEqualTo(202);
        assertThat(platform.awaitInstance(source).text("state")).isEqualTo("succeeded");
        JsonNode credentials = bound(platform, source);
        assertThat(writeData(credentials, "at first")).isEqualTo(204);
        BrokerProcess.sleep(1_200);
        Instant moment = Instant.now();
        BrokerProcess.sleep(1_200);
        assertThat(writeData(credentials, "later")).isEqualTo(204);

        OsbClient.Response future = platform.provision(
                id(),
                true,
                Map.of(
                        "restore_to_point_in_time_of",
                        source,
                        "restore_time",
                        Instant.now().plus(Duration.ofHours(1)).toString()));
        String restored = id();
        OsbClient.Response asked = platform.provision(
                restored, true, Map.of("restore_to_point_in_time_of", source, "restore_time", moment.toString()));

        assertThat(future.status()).as("a moment to come").isEqualTo(400);
        assertThat(asked.status()).isEqualTo(202);
        OsbClient.Response done = platform.awaitInstance(restored);
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(done.text("description")).contains("instance " + source + " as it was at " + moment);
        assertThat(readData(bound(platform, restored))).isEqualTo("at first");
        for (String instance : List.of(source, restored)) {
            assertThat(platform.deprovision(instance, true).status()).isEqualTo(202);
            assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        }
    }

    /** The credentials of a new binding of the instance, bound asynchronously and polled to its end. */
    private static JsonNode bound(Platform platform, String instance) {
        String binding = id();
        assertThat(platform.bind(instance, binding, true).status()).isEqualTo(202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    private BrokerProcess start(String name, String... settings) {
        List<String> properties = new ArrayList<>(postgres.brokerProperties(Catalogs.cloudCatalog()));
        properties.add("paasbroker.testcloud.endpoint=" + cloud.endpoint());
        properties.addAll(List.of(settings));
        BrokerProcess broker = BrokerProcess.start(name, work, properties, List.of(testCloudModule()));
        started.add(broker);
        return broker;
    }

    private static Path testCloudModule() {
        return Path.of(System.getProperty("paasbroker.testcloud.jar"));
    }

    /** The test cloud's name for the database of an instance, as its provisioner derives it. */
    private static String databaseOf(String instanceId) {
        return "tc-" + io.paasbroker.provisioner.ResourceNames.hash(instanceId, 16);
    }

    private static OsbClient.Response lastOperationOf(BrokerProcess broker, String instance) {
        return broker.client().get("/v2/service_instances/" + instance + "/last_operation");
    }

    /**
     * Operations of these instances that did not succeed. Each poll of a step is a claim of its own, so the cloud's
     * counts, not the claims, tell whether a step ran once.
     */
    private static List<String> operationsNotSucceeded(List<String> instances) throws SQLException {
        return postgres.strings(
                SharedPostgres.STATE_DATABASE,
                "SELECT type || ' ' || state FROM operations WHERE state <> 'succeeded' AND instance_id IN ('"
                        + String.join("', '", instances) + "')");
    }

    /**
     * The operation steps the replica claimed. Not the operations it finished: operations accepted together become due
     * together, and one replica's poll may claim a whole batch, so which replica finishes them is a matter of timing.
     * The replica that accepts an operation looks for work at once and claims its first step.
     */
    private static long stepsRunBy(BrokerProcess broker) {
        return broker.log()
                .lines()
                .filter(line -> line.contains(" claimed by replica "))
                .count();
    }

    /** The replica's first warnings and errors: why it ran no operation, when it ran none. */
    private static List<String> warningsIn(BrokerProcess broker) {
        return broker.log()
                .lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .limit(20)
                .toList();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    // --- what an application does with its credentials: the test cloud's data API, with its key

    private static TestCloudApplication application(JsonNode credentials) {
        return new TestCloudApplication(
                credentials.get("username").asText(),
                credentials.get("password").asText());
    }

    private static int writeData(JsonNode credentials, String data) {
        return application(credentials).write(credentials.get("uri").asText(), data);
    }

    private static String readData(JsonNode credentials) {
        return application(credentials).read(credentials.get("uri").asText());
    }

    private static int readStatus(JsonNode credentials) {
        return application(credentials).readStatus(credentials.get("uri").asText());
    }
}
