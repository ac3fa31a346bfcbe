package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.RoleCoverage;
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
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract and Azure's own rules for PostgreSQL flexible servers, through the Azure SDK's pipeline
 * and credential chain against the test bed's fake Entra ID and Azure Resource Manager, with a real PostgreSQL server
 * behind each flexible server; every request the suite sends must conform to Azure's published REST shapes.
 */
class FlexiblePostgresProvisionerIT extends ServiceProvisionerContract {

    @TempDir
    static Path work;

    private static AzureTestBed bed;
    private static MapSecretStore secrets;
    private static FlexibleServerProvisioner provisioner;

    @BeforeAll
    static void startTheTestBed() {
        bed = new AzureTestBed(work);
        secrets = new MapSecretStore(new ConcurrentHashMap<>());
        provisioner =
                FlexibleServerProvisioner.postgres(AzureTestBedClients.of(bed), new MasterPasswords(secrets), "pb");
        provisioner.checkPlan(plan("small", Map.of()));
    }

    /** The Azure RBAC role the project ships lets the broker do all that this suite had it do. */
    @AfterAll
    static void everyActionUsedIsInTheShippedRoleAndTheTestBedStops() {
        try {
            assertThat(bed.brokerActionsUsed()).contains("Microsoft.DBforPostgreSQL/flexibleServers/write");
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

    static Plan plan(String name, Map<String, Object> overrides) {
        return AzureTestBedClients.plan(
                "postgresql",
                name,
                "PostgreSQL on a flexible server of its own",
                Map.of(
                        "version",
                        "16",
                        "sku_name",
                        "Standard_B1ms",
                        "sku_tier",
                        "Burstable",
                        "storage_gb",
                        32,
                        "allowed_extensions",
                        List.of("pgcrypto", "citext"),
                        // the broker's own address: it sets up each server's tenancy over it
                        "firewall_rules",
                        List.of(Map.of("name", "broker", "start_ip", "127.0.0.1", "end_ip", "127.0.0.1"))),
                overrides);
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected Plan plan() {
        return plan("small", Map.of());
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

    /** The server, and the login roles of bindings inside it; once it is gone, the administrator password kept. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String server = provisioner.server(instanceId);
        List<String> left = new ArrayList<>();
        if (bed.flexibleServers().servers().contains(server)) {
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

        assertThat(bed.flexibleServers()
                        .tags()
                        .get(provisioner.server(instance))
                        .path("paasbroker:instance")
                        .asText())
                .isEqualTo(instance);
        assertThat(bed.flexibleServers()
                        .tags()
                        .get(provisioner.server(instance))
                        .path("paasbroker:plan")
                        .asText())
                .isEqualTo("small");
    }

    @Test
    void aBindingConnectsOverVerifiedTlsOnly() throws SQLException {
        String instance = provision();
        Credentials credentials = bind(instance, newId());

        String url = JdbcTenantSession.text(credentials, "jdbcUrl");
        assertThat(url).contains("sslmode=verify-full");
        String plain = url.replaceAll("sslmode=[a-z-]+", "sslmode=disable");
        assertThatThrownBy(() -> {
                    try (Connection ignored = DriverManager.getConnection(plain)) {
                        // connected without TLS
                    }
                })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");
    }

    @Test
    void anExtensionTheServerDoesNotAllowIsRefusedInsideItEvenToItsAdministrator() throws SQLException {
        String instance = provision(plan(), Map.of("extensions", List.of("citext")));
        Credentials credentials = bind(instance, newId());

        try (Connection tenant = DriverManager.getConnection(JdbcTenantSession.text(credentials, "jdbcUrl"))) {
            assertThat(tenant.createStatement()
                            .executeQuery("SELECT 'a'::citext = 'A'::citext")
                            .next())
                    .isTrue();
        }
        Properties administrator = new Properties();
        administrator.setProperty("user", FlexibleServerProvisioner.ADMIN_LOGIN);
        administrator.setProperty("password", new MasterPasswords(secrets).of(instance));
        administrator.setProperty("sslmode", "verify-full");
        administrator.setProperty("sslfactory", "org.postgresql.ssl.SingleCertValidatingFactory");
        administrator.setProperty("sslfactoryarg", bed.caCertificatePem());
        try (Connection admin = DriverManager.getConnection(
                "jdbc:postgresql://" + request(instance).outputs().get("host") + ":5432/"
                        + request(instance).outputs().get("database"),
                administrator)) {
            assertThatThrownBy(() -> admin.createStatement().execute("CREATE EXTENSION hstore"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("is not allow-listed");
        }
    }

    @Test
    void aServerOfTheInstancesNameThatIsAnothersIsNeitherAdoptedNorDeleted() throws InterruptedException {
        String instance = provision();
        String server = provisioner.server(instance);
        String serverId = provisioner.id(FlexibleServerProvisioner.plan(plan()), server);
        ObjectNode tags = JsonNodeFactory.instance.objectNode();
        tags.putObject("tags").put("paasbroker:instance", "another-instance");
        provisioner.arm().patch(serverId, "2025-08-01", tags, "tagging the server as another's");
        awaitReady(server);

        assertThatThrownBy(() -> provisionAgain(instance))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("is not this instance's");
        deprovision(instance);
        assertThat(bed.flexibleServers().servers()).as("the other's server").contains(server);

        provisioner.arm().delete(serverId, "2025-08-01", "removing the other's server");
    }

    private static void awaitReady(String server) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!bed.flexibleServers().ready(server)) {
            assertThat(Instant.now()).as("server " + server + " ready again").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aPlanAzureWouldRefuseStopsTheBrokerAtStartUp() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan("ha", Map.of("high_availability", "ZoneRedundant"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("no high availability on the Burstable tier");
        assertThatThrownBy(() -> provisioner.checkPlan(plan("odd", Map.of("storage_gb", 33))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("storage_gb");
    }

    @Test
    void aSmallerStorageIsRefusedBeforeAnythingIsAsked() {
        assertThatThrownBy(() ->
                        provisioner.checkPlanChange(plan("large", Map.of("storage_gb", 64)), plan("small", Map.of())))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("cannot shrink");
    }

    @Test
    void anUpdateToALargerComputeSizeAndStorageChangesTheServer() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before");

        update(
                instance,
                plan("large", Map.of("sku_name", "Standard_D2ds_v5", "sku_tier", "GeneralPurpose", "storage_gb", 64)));

        assertThat(read(credentials)).isEqualTo("before");
    }

    @Test
    void anOnDemandBackupRestoresIntoANewServerWithTheDataAsItWasAndIsDeletedWithoutTrace() {
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
        assertThat(JdbcTenantSession.text(copyBinding, "host"))
                .isNotEqualTo(JdbcTenantSession.text(sourceBinding, "host"));

        snapshots.deleteSnapshot(backup);
        snapshots.deleteSnapshot(backup);
        assertThatThrownBy(() -> create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup)))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("is gone");
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
    void aMomentWithinTheRetentionRestoresIntoANewServer() throws InterruptedException {
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
        assertThatThrownBy(() -> read(sourceBindingOn(copyBinding, sourceBinding)))
                .as("the source's binding on the copy: the copy's tenancy is its own")
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause()
                .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                        .as("invalid password")
                        .isEqualTo("28P01"));
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

    /** The source binding's login and password, at the copy's server and database. */
    private static Credentials sourceBindingOn(Credentials copy, Credentials source) {
        Map<String, Object> values = new java.util.HashMap<>(copy.values());
        values.put("username", source.values().get("username"));
        values.put("password", source.values().get("password"));
        String url = JdbcTenantSession.text(copy, "jdbcUrl")
                .replaceAll("user=[^&]*", "user=" + source.values().get("username"))
                .replaceAll("password=[^&]*", "password=" + source.values().get("password"));
        values.put("jdbcUrl", url);
        return new Credentials(values);
    }

    private void backedUp(InstanceSnapshots snapshots, String instance, String backup) {
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
