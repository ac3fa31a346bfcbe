package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.RoleCoverage;
import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.JdbcTenantSession;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.PointInTimeRestore;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract and Azure's own rules for flexible servers of every engine, through the Azure SDK's
 * pipeline and credential chain against the test bed's fake Entra ID and Azure Resource Manager, with a real database
 * server behind each flexible server; every request a suite sends must conform to Azure's published REST shapes, and
 * the RBAC role the project ships must allow it. Each engine's suite starts the test bed with its provisioner
 * ({@link #start}) and adds what is its own.
 */
abstract class FlexibleServerContract extends ServiceProvisionerContract {

    @TempDir
    static Path work;

    static AzureTestBed bed;
    static MapSecretStore secrets;
    static FlexibleServerProvisioner provisioner;

    /** Starts the test bed, and the provisioner {@code make} makes of its clients and a credential store. */
    static void start(BiFunction<AzureClients, MasterPasswords, FlexibleServerProvisioner> make) {
        bed = new AzureTestBed(work);
        secrets = new MapSecretStore(new ConcurrentHashMap<>());
        provisioner = make.apply(AzureTestBedClients.of(bed), new MasterPasswords(secrets));
    }

    /** The Azure RBAC role the project ships lets the broker do all that the suite had it do. */
    @AfterAll
    static void everyActionUsedIsInTheShippedRoleAndTheTestBedStops() {
        try {
            assertThat(bed.brokerActionsUsed()).contains(provisioner.engine().resourceType() + "/write");
            assertThat(RoleCoverage.ofProjectRole().notAllowed(bed.brokerActionsUsed()))
                    .as("actions docs/azure-broker-role.json does not allow")
                    .isEmpty();
        } finally {
            bed.close();
        }
    }

    @AfterEach
    void everyRequestConformed() {
        assertThat(bed.takeViolations())
                .as("requests Azure's published shapes refuse")
                .isEmpty();
    }

    /** The suite's plan {@code name}: its default properties with {@code overrides} on top. */
    abstract Plan planOf(String name, Map<String, Object> overrides);

    /** The fake's servers of the suite's engine. */
    abstract FakeFlexibleServers servers();

    /**
     * What holds of backup {@code backup} of a restored instance once the broker deleted it: gone, or (where Azure's
     * API deletes no backup) still there until the server's retention ends.
     */
    abstract void afterDeletingTheBackup(InstanceSnapshots snapshots, String backup);

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected Plan plan() {
        return planOf("small", Map.of());
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return JdbcTenantSession.open(credentials);
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    /** The server; once it is gone, the administrator password kept. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String server = provisioner.server(instanceId);
        List<String> left = new ArrayList<>();
        if (servers().servers().contains(server)) {
            left.add("server:" + server);
        }
        secrets.secrets().keySet().stream()
                .filter(ref -> ref.endsWith(instanceId))
                .forEach(left::add);
        return left;
    }

    @Test
    void theServerIsTaggedWithTheInstanceAndItsPlan() {
        String instance = provision();

        assertThat(servers()
                        .tags()
                        .get(provisioner.server(instance))
                        .path("paasbroker:instance")
                        .asText())
                .isEqualTo(instance);
        assertThat(servers()
                        .tags()
                        .get(provisioner.server(instance))
                        .path("paasbroker:plan")
                        .asText())
                .isEqualTo("small");
    }

    @Test
    void aReadOnlyBindingReadsAndCannotWrite() {
        String instance = provision();
        writeThenRead(bind(instance, newId()), "written by a writer");
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));

        assertThat(read(reader)).isEqualTo("written by a writer");
        // refused as the engine refuses it: MySQL by privileges, PostgreSQL by a read-only transaction first
        assertThatThrownBy(() -> writeThenRead(reader, "written by a reader"))
                .satisfiesAnyOf(
                        e -> assertThat(e).hasMessageContaining("denied"),
                        e -> assertThat(e).hasMessageContaining("read-only transaction"));
        assertThat(read(reader)).as("after the reader's write").isEqualTo("written by a writer");
    }

    @Test
    void aServerOfTheInstancesNameThatIsAnothersIsNeitherAdoptedNorDeleted() throws InterruptedException {
        String instance = provision();
        String server = provisioner.server(instance);
        String serverId = provisioner.id(FlexibleServerProvisioner.plan(plan()), server);
        String apiVersion = provisioner.engine().apiVersion();
        ObjectNode tags = JsonNodeFactory.instance.objectNode();
        tags.putObject("tags").put("paasbroker:instance", "another-instance");
        provisioner.arm().patch(serverId, apiVersion, tags, "tagging the server as another's");
        awaitReady(server);

        assertThatThrownBy(() -> provisionAgain(instance))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("is not this instance's");
        deprovision(instance);
        assertThat(servers().servers()).as("the other's server").contains(server);

        provisioner.arm().delete(serverId, apiVersion, "removing the other's server");
    }

    private void awaitReady(String server) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!servers().ready(server)) {
            assertThat(Instant.now()).as("server " + server + " ready again").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void highAvailabilityOnTheBurstableTierStopsTheBrokerAtStartUp() {
        assertThatThrownBy(() -> provisioner.checkPlan(planOf("ha", Map.of("high_availability", "ZoneRedundant"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("no high availability on the Burstable tier");
    }

    @Test
    void aSmallerStorageIsRefusedBeforeAnythingIsAsked() {
        assertThatThrownBy(() -> provisioner.checkPlanChange(
                        planOf("large", Map.of("storage_gb", 64)), planOf("small", Map.of())))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("cannot shrink");
    }

    @Test
    void anUpdateToALargerComputeSizeMoreStorageAndAStandbyChangesTheServer() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before");

        Plan large = planOf(
                "large",
                Map.of(
                        "sku_name",
                        "Standard_D2ds_v5",
                        "sku_tier",
                        "GeneralPurpose",
                        "storage_gb",
                        64,
                        "high_availability",
                        "ZoneRedundant"));
        update(instance, large);

        assertThat(read(credentials)).isEqualTo("before");
        JsonNode server = provisioner
                .arm()
                .get(
                        provisioner.id(FlexibleServerProvisioner.plan(large), provisioner.server(instance)),
                        provisioner.engine().apiVersion(),
                        "reading the server")
                .body();
        assertThat(server.path("sku").path("name").asText()).isEqualTo("Standard_D2ds_v5");
        assertThat(server.path("properties")
                        .path("storage")
                        .path("storageSizeGB")
                        .asInt())
                .isEqualTo(64);
        assertThat(server.path("properties")
                        .path("highAvailability")
                        .path("mode")
                        .asText())
                .isEqualTo("ZoneRedundant");
    }

    @Test
    void anOnDemandBackupRestoresIntoANewServerWithTheDataAsItWas() {
        String source = provision();
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "in the backup");
        String backup = "pb-" + newId().substring(0, 8);

        InstanceSnapshots snapshots = provisioner.snapshots().orElseThrow();
        backedUp(snapshots, source, backup);
        writeThenRead(sourceBinding, "after the backup");

        String copy = create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup));
        Credentials copyBinding = bind(copy, newId());
        assertThat(read(copyBinding)).as("the copy's data").isEqualTo("in the backup");
        assertThat(read(sourceBinding)).as("the source's data").isEqualTo("after the backup");
        assertThat(JdbcTenantSession.text(copyBinding, "hostname"))
                .isNotEqualTo(JdbcTenantSession.text(sourceBinding, "hostname"));

        snapshots.deleteSnapshot(backup);
        snapshots.deleteSnapshot(backup);
        afterDeletingTheBackup(snapshots, backup);
    }

    @Test
    void aBackupOfADeletedInstanceCannotBeRestoredAndSaysWhy() {
        String source = provision();
        String backup = "pb-" + newId().substring(0, 8);
        InstanceSnapshots snapshots = provisioner.snapshots().orElseThrow();
        backedUp(snapshots, source, backup);

        deprovision(source);

        assertThatThrownBy(() -> create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup)))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("Azure deletes a server's backups with the server");
    }

    @Test
    void aMomentWithinTheRetentionRestoresIntoANewServerWhoseTenancyIsItsOwn() throws InterruptedException {
        String source = provision();
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "before the moment");
        Thread.sleep(1_100);
        Instant moment = Instant.now();
        Thread.sleep(1_100);
        writeThenRead(sourceBinding, "after the moment");

        PointInTimeRestore restore = provisioner.pointInTimeRestore().orElseThrow();
        assertThat(restore.window(plan())).isEqualTo(Duration.ofDays(7));
        InstanceRequest sourceRequest = request(source);
        String copy = create(plan(), Map.of(), into -> restore.restore(into, sourceRequest, moment));

        Credentials copyBinding = bind(copy, newId());
        assertThat(read(copyBinding)).isEqualTo("before the moment");
        assertThat(new MasterPasswords(secrets).of(copy))
                .as("the copy's administrator password")
                .isNotEqualTo(new MasterPasswords(secrets).of(source));
        try (TenantSession sourceLogin = connectAs(sourceBinding)) {
            assertThatThrownBy(() -> sourceLogin.readMarkerOf(copyBinding))
                    .as("the source's binding on the copy: the copy's tenancy is its own")
                    .hasRootCauseInstanceOf(SQLException.class)
                    .rootCause()
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .as("SQL state of an invalid authorization")
                            .startsWith("28"));
        }
    }

    @Test
    void aMomentBeforeTheSourceExistedIsRefusedByAzure() {
        String source = provision();
        InstanceRequest sourceRequest = request(source);
        PointInTimeRestore restore = provisioner.pointInTimeRestore().orElseThrow();

        assertThatThrownBy(() -> create(
                        plan(),
                        Map.of(),
                        into -> restore.restore(
                                into, sourceRequest, Instant.now().minusSeconds(86_400))))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("PointInTimeRestoreTimeOutOfRange");
    }

    void backedUp(InstanceSnapshots snapshots, String instance, String backup) {
        StepOutcome outcome = snapshots.startSnapshot(request(instance), backup);
        Instant deadline = Instant.now().plus(stepTimeout());
        while (outcome instanceof StepOutcome.InProgress) {
            assertThat(Instant.now())
                    .as("backup " + backup + " still being taken")
                    .isBefore(deadline);
            outcome = snapshots.pollSnapshot(request(instance), backup);
        }
        assertThat(((StepOutcome.Completed) outcome).outputs()).containsKey("completed");
    }
}
