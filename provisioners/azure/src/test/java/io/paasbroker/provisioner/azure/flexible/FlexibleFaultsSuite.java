package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.JdbcTenantSession;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.azure.ArmFaultLane;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzureLiveRun;
import io.paasbroker.provisioner.azure.AzureResources;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 * side by side share the calls. Each engine's suite names its provisioner, its plans and what is its own in a
 * server's set-up and in a refused login.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlexibleFaultsSuite {

    private static final Map<String, Object> BROKER_RULE =
            Map.of("name", "broker", "start_ip", "127.0.0.1", "end_ip", "127.0.0.1");

    @TempDir
    static Path work;

    /** The plan a life's server is made of. */
    private Plan made;
    /** The plans a change goes from one to the other of: a smaller compute size, and a larger one. */
    private Plan small;

    private Plan large;
    private List<Lane> lanes;

    /** Test beds side by side, each taking every {@code LANES}-th call. */
    private static final int LANES = 6;

    /** The engine's provisioner, of the test bed's clients, a credential store and the broker's prefix. */
    abstract AzureLiveRun.Maker<FlexibleServerProvisioner> engine();

    /** The engine's plan {@code name}: its default properties with {@code overrides} on top. */
    abstract Plan planOf(String name, Map<String, Object> overrides);

    /** What the larger plan changes of the engine's own, besides the compute size and the firewall rules. */
    abstract Map<String, Object> largerPlansOwn();

    /** The server parameters {@code plan} sets, by name, as Azure must have them. */
    abstract Map<String, String> parametersOf(FlexiblePlan plan);

    /** The fake's servers of the engine. */
    abstract FakeFlexibleServers servers(AzureTestBed bed);

    /** What the engine answers a login whose user is gone. */
    abstract String refusedLogin();

    /** The calls to Azure a server's life makes at least, with no fault. */
    abstract int callsOfALife();

    /** The calls to Azure a change of plan, with the reads that check it, makes at least, with no fault. */
    abstract int callsOfAChange();

    @BeforeAll
    void startTheTestBeds() {
        made = planOf("faults", Map.of());
        small = planOf("faults-small", Map.of("firewall_rules", List.of(BROKER_RULE, rule("office-a", "192.0.2.1"))));
        Map<String, Object> larger = new HashMap<>(largerPlansOwn());
        larger.putAll(Map.of(
                "sku_name",
                "Standard_D2ds_v5",
                "sku_tier",
                "GeneralPurpose",
                "firewall_rules",
                List.of(BROKER_RULE, rule("office-b", "192.0.2.2"))));
        large = planOf("faults-large", larger);
        lanes = IntStream.range(0, LANES)
                .mapToObj(index -> new Lane(index, work.resolve("lane-" + index)))
                .toList();
    }

    @AfterAll
    void stopTheTestBeds() {
        lanes.forEach(Lane::close);
    }

    @AfterEach
    void nothingIsLeftAndEveryRequestConformed() {
        for (Lane lane : lanes) {
            assertThat(lane.bed().takeViolations())
                    .as("requests Azure's published shapes refuse")
                    .isEmpty();
            assertThat(servers(lane.bed()).servers()).as("servers left").isEmpty();
            assertThat(lane.secrets.secrets()).as("secrets left").isEmpty();
        }
    }

    @Test
    void everyCallOfAServersLifeFailingInTurnStillMakesOneServerAndLeavesNothing() {
        ArmFaultLane.inEveryLane(lanes, lane -> {
            lane.eachCallFailingInTurn(callsOfALife(), scenario -> {
                String instance = newId();

                lane.life(instance);

                String server = lane.provisioner.server(instance);
                assertThat(servers(lane.bed()).creations(server))
                        .as(scenario + ": servers made")
                        .isEqualTo(1);
                assertThat(servers(lane.bed()).servers()).as(scenario).doesNotContain(server);
                assertThat(lane.secrets.secrets()).as(scenario).doesNotContainKey(CredentialRefs.master(instance));
            });
        });
    }

    @Test
    void everyCallOfAChangeOfPlanFailingInTurnStillChangesTheServerAsThePlanSays() {
        ArmFaultLane.inEveryLane(lanes, lane -> {
            String instance = newId();
            InstanceRequest provisioned = lane.request(instance, small);
            lane.run(provisioned, () -> lane.provisioner.provision(provisioned));
            BindRequest binding = new BindRequest(lane.request(instance, small), newId(), Map.of());
            Credentials credentials = lane.steps().again(() -> lane.provisioner.bind(binding));
            try (JdbcTenantSession session = JdbcTenantSession.open(credentials)) {
                session.writeMarker("before the changes");
            }
            Plan[] plan = {small};

            lane.eachCallFailingInTurn(callsOfAChange(), scenario -> {
                plan[0] = lane.change(instance, plan[0]);

                lane.assertServerHas(instance, plan[0], scenario);
                try (JdbcTenantSession session = JdbcTenantSession.open(credentials)) {
                    assertThat(session.readMarker()).as(scenario).isEqualTo("before the changes");
                }
            });

            assertThat(servers(lane.bed()).creations(lane.provisioner.server(instance)))
                    .as("servers made")
                    .isEqualTo(1);
            lane.steps().again(() -> {
                lane.provisioner.unbind(binding);
                return null;
            });
            lane.deprovision(instance, plan[0]);
        });
    }

    /** One test bed of its own, the broker's provisioner of it, and the steps the broker runs. */
    private final class Lane extends ArmFaultLane {

        private final MapSecretStore secrets = new MapSecretStore(new ConcurrentHashMap<>());
        /** What each instance's steps reported, kept as the broker keeps it. */
        private final Map<String, Map<String, String>> outputs = new ConcurrentHashMap<>();

        private final FlexibleServerProvisioner provisioner;
        /** Reads what Azure has, as the operator would in the portal. */
        private final ArmClient inspector;

        Lane(int index, Path work) {
            super(index, LANES, work);
            AzureClients clients = AzureTestBedClients.of(bed());
            this.provisioner = engine().make(clients, new MasterPasswords(secrets), "pbfaults");
            List.of(made, small, large).forEach(provisioner::checkPlan);
            this.inspector = clients.arm();
        }

        /**
         * Provision, bind, write with the binding, unbind (its login then refused), deprovision; a failed operation
         * ends as the platform ends it: the instance is deleted, which must leave nothing either.
         */
        void life(String instance) {
            InstanceRequest provisioned = request(instance, made);
            try {
                run(provisioned, () -> provisioner.provision(provisioned));
                BindRequest binding = new BindRequest(request(instance, made), newId(), Map.of());
                Credentials credentials = steps().again(() -> provisioner.bind(binding));
                try (JdbcTenantSession session = JdbcTenantSession.open(credentials)) {
                    session.writeMarker("written");
                }
                steps().again(() -> {
                    provisioner.unbind(binding);
                    return null;
                });
                assertThatThrownBy(() -> JdbcTenantSession.open(credentials).close())
                        .as("a login of the unbound binding")
                        .hasMessageContaining(refusedLogin());
            } catch (ProvisioningFailedException e) {
                deprovision(instance, made);
                throw e;
            }
            deprovision(instance, made);
        }

        void deprovision(String instance, Plan plan) {
            InstanceRequest deleted = request(instance, plan);
            run(deleted, () -> provisioner.deprovision(deleted));
        }

        /** Updates the instance from plan {@code from} to the other plan; answers the plan it has now. */
        Plan change(String instance, Plan from) {
            Plan to = from == small ? large : small;
            InstanceRequest changed = request(instance, to);
            run(changed, () -> provisioner.update(new UpdateRequest(changed, from, Map.of())));
            return to;
        }

        /** Azure has the server as {@code plan} says: its compute size, its parameters and firewall rules. */
        void assertServerHas(String instance, Plan plan, String scenario) {
            FlexiblePlan expected = FlexibleServerProvisioner.plan(plan);
            assertThat(read(instance, "").path("sku").path("name").asText())
                    .as(scenario)
                    .isEqualTo(expected.skuName());
            parametersOf(expected)
                    .forEach((name, value) -> assertThat(read(instance, "/configurations/" + name)
                                    .path("properties")
                                    .path("value")
                                    .asText())
                            .as(scenario)
                            .isEqualTo(value));
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
                    provisioner.engine().resourceType(),
                    provisioner.server(instance));
            return steps().again(() -> inspector
                    .get(server + path, provisioner.engine().apiVersion(), "reading " + path)
                    .body());
        }

        /**
         * Runs a step and polls what it leaves in progress to its end, which must be done; the outputs it reports are
         * kept for the instance's later requests.
         */
        void run(InstanceRequest request, Supplier<StepOutcome> step) {
            StepOutcome outcome = steps().toEnd(step, reference -> provisioner.poll(request, reference));
            assertThat(outcome).isInstanceOf(StepOutcome.Completed.class);
            outputs.merge(request.instanceId(), ((StepOutcome.Completed) outcome).outputs(), (kept, reported) -> {
                Map<String, String> merged = new HashMap<>(kept);
                merged.putAll(reported);
                return merged;
            });
        }

        /** A request of the instance on {@code plan}, with the outputs its steps reported so far, as the broker sends. */
        InstanceRequest request(String instance, Plan plan) {
            return new InstanceRequest(
                    instance,
                    plan,
                    Map.of(),
                    Map.of("organization_guid", "org-faults"),
                    outputs.getOrDefault(instance, Map.of()));
        }
    }

    private static Map<String, Object> rule(String name, String ip) {
        return Map.of("name", name, "start_ip", ip, "end_ip", ip);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
