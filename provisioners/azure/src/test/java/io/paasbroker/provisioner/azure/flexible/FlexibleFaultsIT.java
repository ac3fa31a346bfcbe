package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.JdbcTenantSession;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzureResources;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.CallFaults.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure Resource Manager failing any one call of a flexible server's life (made, bound, used, unbound, deleted; or
 * changed from one plan to another and back): each call in turn, from the first to the last, is refused (500),
 * throttled (429) or carried out with its answer lost, as many times in a row as the Azure SDK's pipeline sends a
 * request, so the step itself sees the fault. A call that writes meets each of the three; a call that reads meets one,
 * the three taking turns. Run again as the broker runs it (a step that may pass is run again a while later, what it
 * leaves in progress is polled), every step converges: one server made, set up as its plan says and used through a
 * binding whose login goes with its unbind, changed as the new plan says with the tenant's data kept; once deleted, no
 * server and no administrator password are left. Each fault costs seconds of the pipeline's retries, so test beds
 * side by side share the calls.
 */
class FlexibleFaultsIT {

    /** The pipeline's request and its three retries all meet the fault: the step sees it. */
    private static final int FAULTS_IN_A_ROW = 4;

    /** Test beds side by side, each taking every {@code LANES}-th call. */
    private static final int LANES = 6;

    /** Longer than the pipeline waits before its first retry (half a second). */
    private static final Duration OPERATIONS_TAKE = Duration.ofMillis(600);

    private static final FlexibleEngine ENGINE = new PostgresOnFlexibleServer();
    private static final Map<String, Object> BROKER_RULE =
            Map.of("name", "broker", "start_ip", "127.0.0.1", "end_ip", "127.0.0.1");
    private static final Plan MADE = FlexiblePostgresProvisionerIT.plan("faults", Map.of());
    private static final Plan SMALL = FlexiblePostgresProvisionerIT.plan(
            "faults-small", Map.of("firewall_rules", List.of(BROKER_RULE, rule("office-a", "192.0.2.1"))));
    private static final Plan LARGE = FlexiblePostgresProvisionerIT.plan(
            "faults-large",
            Map.of(
                    "sku_name",
                    "Standard_D2ds_v5",
                    "sku_tier",
                    "GeneralPurpose",
                    "allowed_extensions",
                    List.of("citext", "hstore", "pgcrypto"),
                    "firewall_rules",
                    List.of(BROKER_RULE, rule("office-b", "192.0.2.2"))));

    @TempDir
    static Path work;

    private static List<Lane> lanes;

    @BeforeAll
    static void startTheTestBeds() {
        lanes = IntStream.range(0, LANES)
                .mapToObj(index -> new Lane(index, work.resolve("lane-" + index)))
                .toList();
    }

    @AfterAll
    static void stopTheTestBeds() {
        lanes.forEach(Lane::close);
    }

    @AfterEach
    void nothingIsLeftAndEveryRequestConformed() {
        for (Lane lane : lanes) {
            assertThat(lane.bed.takeViolations())
                    .as("requests Azure's published shapes refuse")
                    .isEmpty();
            assertThat(lane.bed.flexibleServers().servers()).as("servers left").isEmpty();
            assertThat(lane.secrets.secrets()).as("secrets left").isEmpty();
        }
    }

    @Test
    void everyCallOfAServersLifeFailingInTurnStillMakesOneServerAndLeavesNothing() {
        inEveryLane(lane -> {
            lane.eachCallFailingInTurn(15, scenario -> {
                String instance = newId();

                lane.life(instance);

                String server = lane.provisioner.server(instance);
                assertThat(lane.bed.flexibleServers().creations(server))
                        .as(scenario + ": servers made")
                        .isEqualTo(1);
                assertThat(lane.bed.flexibleServers().servers()).as(scenario).doesNotContain(server);
                assertThat(lane.secrets.secrets()).as(scenario).doesNotContainKey(CredentialRefs.master(instance));
            });
        });
    }

    @Test
    void everyCallOfAChangeOfPlanFailingInTurnStillChangesTheServerAsThePlanSays() {
        inEveryLane(lane -> {
            String instance = newId();
            lane.run(request(instance, SMALL), () -> lane.provisioner.provision(request(instance, SMALL)));
            BindRequest binding = new BindRequest(request(instance, SMALL), newId(), Map.of());
            Credentials credentials = lane.steps.again(() -> lane.provisioner.bind(binding));
            try (JdbcTenantSession session = JdbcTenantSession.open(credentials)) {
                session.writeMarker("before the changes");
            }
            Plan[] plan = {SMALL};

            lane.eachCallFailingInTurn(10, scenario -> {
                plan[0] = lane.change(instance, plan[0]);

                lane.assertServerHas(instance, plan[0], scenario);
                try (JdbcTenantSession session = JdbcTenantSession.open(credentials)) {
                    assertThat(session.readMarker()).as(scenario).isEqualTo("before the changes");
                }
            });

            assertThat(lane.bed.flexibleServers().creations(lane.provisioner.server(instance)))
                    .as("servers made")
                    .isEqualTo(1);
            lane.steps.again(() -> {
                lane.provisioner.unbind(binding);
                return null;
            });
            lane.run(request(instance, plan[0]), () -> lane.provisioner.deprovision(request(instance, plan[0])));
        });
    }

    /** One test bed of its own, the broker's provisioner of it, and the steps the broker runs. */
    private static final class Lane implements AutoCloseable {

        private final int index;
        private final AzureTestBed bed;
        private final MapSecretStore secrets = new MapSecretStore(new ConcurrentHashMap<>());
        private final FlexibleServerProvisioner provisioner;
        /** Reads what Azure has, as the operator would in the portal. */
        private final ArmClient inspector;

        private final StepRunner steps = new StepRunner(FlexibleFaultsIT::pass);

        Lane(int index, Path work) {
            this.index = index;
            this.bed = new AzureTestBed(work);
            // Azure's operations take minutes: a request the pipeline sends again meets its first one still running
            bed.arm().operations().lastAtLeast(OPERATIONS_TAKE);
            AzureClients clients = AzureTestBedClients.of(bed);
            this.provisioner = FlexibleServerProvisioner.postgres(clients, new MasterPasswords(secrets), "pbfaults");
            List.of(MADE, SMALL, LARGE).forEach(provisioner::checkPlan);
            this.inspector = clients.arm();
        }

        CallFaults faults() {
            return bed.arm().faults();
        }

        /**
         * Runs {@code life} with no fault, counting the calls it makes (at least {@code least}), then again for each
         * of this lane's share of those calls failing: a call that writes in each way in turn, a call that reads (to
         * which a lost answer is no different from a refusal) in one, the ways taking turns over the reads. A step
         * that failed as one worth running again ran again, unless the call was carried out (its answer lost), which
         * a step may adopt at once.
         */
        void eachCallFailingInTurn(int least, Consumer<String> life) {
            long start = faults().soFar();
            life.accept("no fault");
            long calls = faults().soFar() - start;
            assertThat(calls).as("calls of a life").isGreaterThanOrEqualTo(least);
            List<Position> positions = new ArrayList<>();
            int reads = 0;
            for (long k = 1; k <= calls; k++) {
                String call = bed.arm().call(start + k);
                List<Fault> ways =
                        call.startsWith("GET ") ? List.of(Fault.values()[reads++ % 3]) : List.of(Fault.values());
                for (Fault fault : ways) {
                    positions.add(new Position(k, call, fault));
                }
            }
            for (int i = index; i < positions.size(); i += LANES) {
                Position position = positions.get(i);
                String scenario = position.fault() + " of call " + position.call() + " of " + calls + " ("
                        + position.request() + ")";
                int runsBefore = steps.stepsRunAgain();
                long first = faults().soFar() + position.call();
                faults().fail(first, FAULTS_IN_A_ROW, position.fault());
                try {
                    life.accept(scenario);
                } catch (ProvisioningFailedException e) {
                    throw new AssertionError(scenario + ": a fault that passes failed the operation: " + e, e);
                }
                assertThat(faults().soFar())
                        .as(scenario + ": the fault was met")
                        .isGreaterThanOrEqualTo(first);
                if (position.fault() != Fault.ACT_THEN_RESET) {
                    assertThat(steps.stepsRunAgain())
                            .as(scenario + ": a step failed and ran again")
                            .isGreaterThan(runsBefore);
                }
            }
        }

        /**
         * Provision, bind, write with the binding, unbind (its login then refused), deprovision; a failed operation
         * ends as the platform ends it: the instance is deleted, which must leave nothing either.
         */
        void life(String instance) {
            InstanceRequest made = request(instance, MADE);
            try {
                run(made, () -> provisioner.provision(made));
                BindRequest binding = new BindRequest(made, newId(), Map.of());
                Credentials credentials = steps.again(() -> provisioner.bind(binding));
                try (JdbcTenantSession session = JdbcTenantSession.open(credentials)) {
                    session.writeMarker("written");
                }
                steps.again(() -> {
                    provisioner.unbind(binding);
                    return null;
                });
                assertThatThrownBy(() -> JdbcTenantSession.open(credentials).close())
                        .as("a login of the unbound binding")
                        .hasMessageContaining("password authentication failed");
            } catch (ProvisioningFailedException e) {
                run(made, () -> provisioner.deprovision(made));
                throw e;
            }
            run(made, () -> provisioner.deprovision(made));
        }

        /** Updates the instance from plan {@code from} to the other plan; answers the plan it has now. */
        Plan change(String instance, Plan from) {
            Plan to = from == SMALL ? LARGE : SMALL;
            InstanceRequest changed = request(instance, to);
            run(changed, () -> provisioner.update(new UpdateRequest(changed, from, Map.of())));
            return to;
        }

        /** Azure has the server as {@code plan} says: its compute size, extension allow-list and firewall rules. */
        void assertServerHas(String instance, Plan plan, String scenario) {
            FlexiblePlan expected = FlexibleServerProvisioner.plan(plan);
            assertThat(read(instance, "").path("sku").path("name").asText())
                    .as(scenario)
                    .isEqualTo(expected.skuName());
            assertThat(read(instance, "/configurations/azure.extensions")
                            .path("properties")
                            .path("value")
                            .asText())
                    .as(scenario)
                    .isEqualTo(String.join(",", new TreeSet<>(expected.allowedExtensions())));
            assertThat(read(instance, "/firewallRules").path("value").findValuesAsText("name"))
                    .as(scenario)
                    .containsExactlyInAnyOrderElementsOf(expected.firewallRules().stream()
                            .map(FlexiblePlan.FirewallRule::name)
                            .toList());
        }

        /**
         * What Azure has at {@code path} under the instance's server, read as the operator would; read again while it
         * fails, as the last calls of a fault's window may reach it (a refusal answered in place of a lost answer ends
         * no window).
         */
        private JsonNode read(String instance, String path) {
            String server = AzureResources.id(
                    AzureTestBed.SUBSCRIPTION_ID,
                    AzureTestBed.RESOURCE_GROUP,
                    ENGINE.resourceType(),
                    provisioner.server(instance));
            return steps.again(() -> inspector
                    .get(server + path, ENGINE.apiVersion(), "reading " + path)
                    .body());
        }

        /** Runs a step and polls what it leaves in progress to its end, which must be done. */
        void run(InstanceRequest request, Supplier<StepOutcome> step) {
            assertThat(steps.toEnd(step, reference -> provisioner.poll(request, reference)))
                    .isInstanceOf(StepOutcome.Completed.class);
        }

        @Override
        public void close() {
            bed.close();
        }
    }

    /** The {@code call}-th call of a life, {@code request} with no fault, meeting {@code fault}. */
    private record Position(long call, String request, Fault fault) {}

    /** Runs {@code work} in every lane at once; a failure in one is the test's. */
    private static void inEveryLane(Consumer<Lane> work) {
        ExecutorService pool = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<Void>> running = lanes.stream()
                    .map(lane -> pool.submit(() -> {
                        work.accept(lane);
                        return (Void) null;
                    }))
                    .toList();
            for (Future<Void> lane : running) {
                lane.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Passes one of the broker's waits (30 s before a step runs again, a minute between polls) in a tenth of a second:
     * the test bed's Azure works in real time, and its operations take under a second.
     */
    static void pass(Duration wait) {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> rule(String name, String ip) {
        return Map.of("name", name, "start_ip", ip, "end_ip", ip);
    }

    private static InstanceRequest request(String instance, Plan plan) {
        return new InstanceRequest(instance, plan, Map.of(), Map.of("organization_guid", "org-faults"), Map.of());
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
