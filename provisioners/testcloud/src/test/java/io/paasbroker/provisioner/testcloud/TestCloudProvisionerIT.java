package io.paasbroker.provisioner.testcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.TestPlans;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner contract through the paths a cloud takes: every step answers in progress and is polled, binds
 * included, and a key works only once the cloud made it active.
 */
class TestCloudProvisionerIT extends ServiceProvisionerContract {

    private static final TestCloud CLOUD = TestCloud.start(Duration.ofMillis(300), Duration.ofMillis(300));

    private final TestCloudProvisioner provisioner = new TestCloudProvisioner(CLOUD.endpoint());

    @AfterAll
    static void stopCloud() {
        CLOUD.close();
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected Plan plan() {
        return TestPlans.of(
                "plan-testcloud-small",
                "small",
                "A database of the test cloud",
                TestCloudProvisioner.NAME,
                Map.of("size", "small"));
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String database = TestCloudProvisioner.databaseOf(instanceId);
        return CLOUD.resources().stream()
                .filter(name -> name.startsWith(database))
                .toList();
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        TestCloudApplication application = new TestCloudApplication(
                credentials.values().get("username").toString(),
                credentials.values().get("password").toString());
        return new TenantSession() {
            @Override
            public void writeMarker(String marker) {
                int status = application.write(uri(credentials), marker);
                if (status != 204) {
                    throw new IllegalStateException("the test cloud refused the write: " + status);
                }
            }

            @Override
            public String readMarker() {
                return readMarkerOf(credentials);
            }

            @Override
            public String readMarkerOf(Credentials other) {
                return application.read(uri(other));
            }

            @Override
            public void close() {}
        };
    }

    private static String uri(Credentials credentials) {
        return credentials.values().get("uri").toString();
    }

    @Test
    void aStepAnswersInProgressUntilTheCloudFinishesIt() {
        InstanceRequest request = new InstanceRequest(newId(), plan(), Map.of(), Map.of(), Map.of());

        StepOutcome started = provisioner.provision(request);
        StepOutcome stillCreating = provisioner.poll(request, ((StepOutcome.InProgress) started).reference());

        assertThat(started).isInstanceOf(StepOutcome.InProgress.class);
        assertThat(((StepOutcome.InProgress) stillCreating).description()).contains("creating");
        assertThat(provisioner.deprovision(request)).isInstanceOf(StepOutcome.InProgress.class);
    }

    @Test
    void aProvisionRunAgainAdoptsTheDatabaseTheFirstRunMade() {
        String instanceId = provision();

        provisionAgain(instanceId);

        assertThat(CLOUD.creations(TestCloudProvisioner.databaseOf(instanceId))).isEqualTo(1);
    }

    @Test
    void aDatabaseTheCloudFailsWhileCreatingFailsTheStepWithTheCloudsReason() {
        String instanceId = newId();
        InstanceRequest request = new InstanceRequest(
                instanceId, plan(), Map.of(TestCloudProvisioner.FAIL_WHILE_CREATING, true), Map.of(), Map.of());
        StepOutcome started = provisioner.provision(request);

        assertThatThrownBy(() -> {
                    StepOutcome outcome = started;
                    while (outcome instanceof StepOutcome.InProgress progress) {
                        Thread.sleep(100);
                        outcome = provisioner.poll(request, progress.reference());
                    }
                })
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("failed creating");
        StepOutcome deleted = provisioner.deprovision(request);
        assertThat(deleted).isInstanceOf(StepOutcome.InProgress.class);
    }

    @Test
    void aSnapshotKeepsTheDataOfItsTimeAndANewInstanceMadeFromItStartsWithThat() throws InterruptedException {
        String source = provision();
        Credentials credentials = bind(source, newId());
        writeThenRead(credentials, "snapshotted");
        InstanceSnapshots snapshots = provisioner.snapshots().orElseThrow();
        String snapshot = "pb-" + newId();

        StepOutcome taken = snapshots.startSnapshot(request(source), snapshot);
        while (taken instanceof StepOutcome.InProgress) {
            Thread.sleep(100);
            taken = snapshots.pollSnapshot(request(source), snapshot);
        }
        writeThenRead(credentials, "after the snapshot");
        InstanceRequest into = new InstanceRequest(newId(), plan(), Map.of(), Map.of(), Map.of());
        StepOutcome made = snapshots.restoreSnapshot(into, snapshot);
        while (made instanceof StepOutcome.InProgress progress) {
            Thread.sleep(100);
            made = provisioner.poll(into, progress.reference());
        }
        InstanceRequest restored = new InstanceRequest(
                into.instanceId(),
                plan(),
                Map.of(),
                Map.of(),
                ((StepOutcome.Completed) made).outputs(),
                ((StepOutcome.Completed) made).secrets());
        Credentials restoredCredentials = provisioner.bind(new BindRequest(restored, newId(), Map.of()));

        assertThat(read(restoredCredentials)).isEqualTo("snapshotted");
        assertThat(CLOUD.snapshots()).contains(snapshot);
        snapshots.deleteSnapshot(snapshot);
        snapshots.deleteSnapshot(snapshot);
        provisioner.deprovision(restored);
    }
}
