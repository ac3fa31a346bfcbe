package io.paasbroker.provisioner.azure.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.azure.testbed.fake.FakeEntraId;
import io.paasbroker.azure.testbed.fake.FakeRedisEnterprise;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.azure.ArmFaultLane;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.credentials.RedisEntraIdCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure Resource Manager failing any one call of an Azure Managed Redis cache's life (made, bound, used, changed to a
 * larger plan with persistence, unbound, deleted), as {@link ArmFaultLane} fails it: run again as the broker runs it
 * (a step that may pass is run again a while later, what it leaves in progress is polled), every step converges. One
 * cache is made, its database as the plan says; the binding's application identity gets one access policy assignment
 * and, with its own Entra ID token, writes and reads a key; the change of plan resizes the cache and turns persistence
 * on with the key kept; after the unbind the identity can no longer log in, and after the deletion no cache and no
 * assignment is left.
 */
class ManagedRedisFaultsIT {

    /** Test beds side by side, each taking every {@code LANES}-th call. */
    private static final int LANES = 6;

    private static final Plan SMALL = ManagedRedisProvisionerIT.plan("faults-small", Map.of());
    private static final Plan LARGE =
            ManagedRedisProvisionerIT.plan("faults-large", Map.of("sku", "Balanced_B1", "persistence", "rdb"));

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
            assertThat(lane.bed().takeViolations())
                    .as("requests Azure's published shapes refuse")
                    .isEmpty();
            assertThat(lane.caches().clusters()).as("caches left").isEmpty();
        }
    }

    @Test
    void everyCallOfACachesLifeFailingInTurnStillMakesOneCacheWhoseBindingWorksUntilUnboundAndLeavesNothing() {
        ArmFaultLane.inEveryLane(lanes, lane -> lane.eachCallFailingInTurn(20, lane::life));
    }

    /** One test bed of its own, and the broker's provisioner of it. */
    private static final class Lane extends ArmFaultLane {

        private final ManagedRedisProvisioner provisioner;

        Lane(int index, Path work) {
            super(index, LANES, work);
            this.provisioner = new ManagedRedisProvisioner(AzureTestBedClients.of(bed()), "pbfaults");
            List.of(SMALL, LARGE).forEach(provisioner::checkPlan);
        }

        FakeRedisEnterprise caches() {
            return bed().redisEnterprise();
        }

        /**
         * Provision, bind a new application's identity, write and read a key as it, change to the larger plan, read
         * the key again, unbind (its login then refused), deprovision. A failed operation ends as the platform ends
         * it: the instance is deleted, which must leave nothing either.
         */
        void life(String scenario) {
            String instance = UUID.randomUUID().toString();
            String cache = provisioner.cache(instance);
            InstanceRequest small = request(instance, SMALL);
            InstanceRequest large = request(instance, LARGE);
            try {
                run(small, () -> provisioner.provision(small));
                assertThat(caches().clusters()).as(scenario + ": caches").containsExactly(cache);

                FakeEntraId.Principal application = bed().application();
                String bindingId = UUID.randomUUID().toString();
                Map<String, Object> parameters = Map.of(ManagedRedisProvisioner.OBJECT_ID, application.objectId());
                BindOutcome bound = steps().toEnd(
                                () -> provisioner.startBind(new BindRequest(small, bindingId, parameters)),
                                reference ->
                                        provisioner.pollBind(new BindRequest(small, bindingId, parameters), reference));
                Credentials credentials = ((BindOutcome.Bound) bound).credentials();
                assertThat(caches().assignments(cache))
                        .as(scenario + ": assignments")
                        .containsExactly(ManagedRedisProvisioner.assignment(bindingId));
                try (EntraRedisSession session = session(credentials, application)) {
                    session.writeMarker("written before the change");
                    assertThat(session.readMarker()).as(scenario).isEqualTo("written before the change");
                }

                run(large, () -> provisioner.update(new UpdateRequest(large, SMALL, Map.of())));
                assertThat(caches().cluster(cache).path("sku").path("name").asText())
                        .as(scenario + ": size")
                        .isEqualTo("Balanced_B1");
                assertThat(caches().database(cache)
                                .path("properties")
                                .path("persistence")
                                .path("rdbEnabled")
                                .asBoolean())
                        .as(scenario + ": persistence")
                        .isTrue();
                try (EntraRedisSession session = session(credentials, application)) {
                    assertThat(session.readMarker())
                            .as(scenario + ": the key kept")
                            .isEqualTo("written before the change");
                }

                // the broker unbinds with the instance as it is now, on its new plan
                BindRequest binding = new BindRequest(large, bindingId, parameters);
                steps().toEnd(
                                () -> provisioner.startUnbind(binding),
                                reference -> provisioner.pollUnbind(binding, reference));
                assertThat(caches().assignments(cache))
                        .as(scenario + ": assignments")
                        .isEmpty();
                assertThatThrownBy(() -> session(credentials, application).close())
                        .as(scenario + ": a login of the unbound identity")
                        .hasStackTraceContaining("WRONGPASS");
            } catch (ProvisioningFailedException e) {
                try {
                    run(large, () -> provisioner.deprovision(large));
                } catch (RuntimeException cleanUp) {
                    e.addSuppressed(cleanUp);
                }
                throw e;
            }
            run(large, () -> provisioner.deprovision(large));
            assertThat(caches().clusters()).as(scenario + ": caches").doesNotContain(cache);
        }

        /** A session of the application's, logged in with a new token of its own for Redis. */
        private EntraRedisSession session(Credentials credentials, FakeEntraId.Principal application) {
            return new EntraRedisSession(
                    credentials, objectId -> bed().token(application, RedisEntraIdCredentials.SCOPE));
        }

        /** Runs a step and polls what it leaves in progress to its end, which must be done. */
        private void run(InstanceRequest request, Supplier<StepOutcome> step) {
            assertThat(steps().toEnd(step, reference -> provisioner.poll(request, reference)))
                    .isInstanceOf(StepOutcome.Completed.class);
        }
    }

    private static InstanceRequest request(String instance, Plan plan) {
        return new InstanceRequest(instance, plan, Map.of(), Map.of("organization_guid", "org-faults"), Map.of());
    }
}
