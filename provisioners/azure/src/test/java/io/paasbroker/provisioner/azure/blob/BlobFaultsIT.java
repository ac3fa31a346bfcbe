package io.paasbroker.provisioner.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.models.BlobStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.azure.ArmFaultLane;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import java.nio.file.Path;
import java.time.Duration;
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
 * Azure Resource Manager failing any one call of a Blob Storage container's life (made, bound, used, unbound, deleted),
 * as {@link ArmFaultLane} fails it: run again as the broker runs it (a step that may pass is run again a while later,
 * what it leaves in progress is polled), every step converges. One container is made, private and tagged with its
 * instance; the binding's stored access policy is the container's one, and its SAS writes and reads a blob; after the
 * unbind no policy is left and the SAS is refused; after the deletion neither the container nor a policy of it is
 * left. Only Resource Manager's calls are failed: the policies and the SAS go through the Blob data plane (Azurite).
 *
 * <p>A life's calls, with no fault: the provision reads the storage account, looks for the container and makes it
 * (GET, GET, PUT); the bind reads the account and its keys (GET, POST listKeys), its poll the account (GET); the
 * unbind and its poll each read the account (GET, GET); the deletion looks for the container and deletes it (GET,
 * DELETE).
 */
class BlobFaultsIT {

    /** Test beds side by side, each taking every {@code LANES}-th call. */
    private static final int LANES = 4;

    /** The calls to Resource Manager a container's life makes at least, with no fault. */
    private static final int CALLS_OF_A_LIFE = 10;

    private static final String PREFIX = "pbfaults";

    private static final Plan PLAN =
            BlobContainerProvisionerIT.plan("faults", Map.of("delete_non_empty_containers", true));

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
                    .as("requests Azure's published shapes refuse, and what Azure would not allow")
                    .isEmpty();
            assertThat(lane.bed().storageAccounts().containers())
                    .as("containers left: the operator's own only")
                    .containsExactly(AzureTestBed.REDIS_BACKUP_CONTAINER);
        }
    }

    @Test
    void everyCallOfAContainersLifeFailingInTurnStillMakesOneContainerWhoseBindingWorksUntilUnboundAndLeavesNothing() {
        ArmFaultLane.inEveryLane(lanes, lane -> lane.eachCallFailingInTurn(CALLS_OF_A_LIFE, lane::life));
    }

    /** One test bed of its own, and the broker's clients of it. */
    private static final class Lane extends ArmFaultLane {

        private final AzureClients clients;

        Lane(int index, Path work) {
            super(index, LANES, work);
            this.clients = AzureTestBedClients.of(bed());
            started().checkPlan(PLAN);
        }

        /**
         * The broker's provisioner as a broker starts it, Azure's waits for a policy change passed at once (Azurite
         * applies one at once). It signs with the account's key it read last for a minute: one provisioner for every
         * life would read the key again at a call of a life the clock decides, so each life has its own, whose first
         * bind reads the key ({@code listKeys}) as a broker's first bind does.
         */
        private BlobContainerProvisioner started() {
            return new BlobContainerProvisioner(clients, PREFIX, Duration.ZERO);
        }

        /**
         * Provision, bind, write and read a blob with the binding's SAS, unbind (the SAS then refused), deprovision. A
         * failed operation ends as the platform ends it: the instance is deleted, which must leave nothing either.
         */
        void life(String scenario) {
            BlobContainerProvisioner provisioner = started();
            String instance = UUID.randomUUID().toString();
            String container = provisioner.container(instance);
            Map<String, String> outputs = Map.of();
            try {
                InstanceRequest made = request(instance, outputs);
                outputs = run(provisioner, made, () -> provisioner.provision(made));
                assertThat(bed().storageAccounts().containers())
                        .as(scenario + ": containers")
                        .containsExactlyInAnyOrder(AzureTestBed.REDIS_BACKUP_CONTAINER, container);
                assertThat(outputs).as(scenario + ": outputs").containsEntry("container", container);
                JsonNode properties = bed().storageAccounts()
                        .container(container)
                        .orElseThrow()
                        .path("properties");
                assertThat(properties.path("publicAccess").asText())
                        .as(scenario + ": public access")
                        .isEqualTo("None");
                assertThat(properties
                                .path("metadata")
                                .path("paasbroker_instance")
                                .asText())
                        .as(scenario + ": the container's instance")
                        .isEqualTo(instance);

                BindRequest binding = new BindRequest(
                        request(instance, outputs), UUID.randomUUID().toString(), Map.of());
                BindOutcome bound = steps().toEnd(
                                () -> provisioner.startBind(binding),
                                reference -> provisioner.pollBind(binding, reference));
                assertThat(bound).as(scenario + ": the bind").isInstanceOf(BindOutcome.Bound.class);
                Credentials credentials = ((BindOutcome.Bound) bound).credentials();
                assertThat(bed().storageAccounts().policies(container))
                        .as(scenario + ": stored access policies")
                        .containsExactly(BlobContainerProvisioner.policyId(binding.bindingId()));
                ContainerSession session = new ContainerSession(credentials);
                session.writeMarker("written with the binding's SAS");
                assertThat(session.readMarker()).as(scenario).isEqualTo("written with the binding's SAS");

                StepOutcome unbound = steps().toEnd(
                                () -> provisioner.startUnbind(binding),
                                reference -> provisioner.pollUnbind(binding, reference));
                assertThat(unbound).as(scenario + ": the unbind").isInstanceOf(StepOutcome.Completed.class);
                assertThat(bed().storageAccounts().policies(container))
                        .as(scenario + ": stored access policies")
                        .isEmpty();
                assertThat(status(session::readMarker))
                        .as(scenario + ": a read with the unbound binding's SAS")
                        .isEqualTo(403);
                assertThat(status(() -> session.writeMarker("written after the unbind")))
                        .as(scenario + ": a write with the unbound binding's SAS")
                        .isEqualTo(403);
            } catch (ProvisioningFailedException e) {
                try {
                    deprovision(provisioner, request(instance, outputs));
                } catch (RuntimeException cleanUp) {
                    e.addSuppressed(cleanUp);
                }
                throw e;
            }
            deprovision(provisioner, request(instance, outputs));
            assertThat(bed().storageAccounts().containers())
                    .as(scenario + ": containers")
                    .doesNotContain(container);
            assertThat(bed().storageAccounts().policies(container))
                    .as(scenario + ": stored access policies")
                    .isEmpty();
        }

        private void deprovision(BlobContainerProvisioner provisioner, InstanceRequest request) {
            run(provisioner, request, () -> provisioner.deprovision(request));
        }

        /** Runs a step and polls what it leaves in progress to its end, which must be done; answers its outputs. */
        private Map<String, String> run(
                BlobContainerProvisioner provisioner, InstanceRequest request, Supplier<StepOutcome> step) {
            StepOutcome outcome = steps().toEnd(step, reference -> provisioner.poll(request, reference));
            assertThat(outcome).isInstanceOf(StepOutcome.Completed.class);
            return ((StepOutcome.Completed) outcome).outputs();
        }
    }

    /** A request of the instance with the outputs its steps reported so far, as the broker sends it. */
    private static InstanceRequest request(String instance, Map<String, String> outputs) {
        return new InstanceRequest(instance, PLAN, Map.of(), Map.of("organization_guid", "org-faults"), outputs);
    }

    /** The status Azure Storage refused {@code call} with. */
    private static int status(Runnable call) {
        try {
            call.run();
        } catch (BlobStorageException e) {
            return e.getStatusCode();
        }
        throw new AssertionError("the call was not refused");
    }
}
