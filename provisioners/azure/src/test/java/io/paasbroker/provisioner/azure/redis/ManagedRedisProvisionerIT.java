package io.paasbroker.provisioner.azure.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.RoleCoverage;
import io.paasbroker.azure.testbed.fake.FakeEntraId;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.StepRunner;
import io.paasbroker.provisioner.azure.ArmFaultLane;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.credentials.RedisEntraIdCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract and Azure's own rules for Redis plans on Azure Managed Redis, through the Azure SDK's
 * pipeline and credential chain against the test bed's fake Entra ID and Azure Resource Manager, with a real Redis 7
 * behind each cache that lets in the identities of its access policy assignments with their Entra ID tokens. A tenant
 * is an application with an identity of its own, which gets its tokens through the Azure SDK and logs in with them.
 * Every request to Azure Resource Manager must conform to the REST shapes of api-version 2025-07-01.
 */
class ManagedRedisProvisionerIT extends ServiceProvisionerContract {

    @TempDir
    static Path work;

    private static AzureTestBed bed;
    private static ManagedRedisProvisioner provisioner;

    /** Each binding's application identity, by binding id; and by object id, for its sessions. */
    private final Map<String, FakeEntraId.Principal> applications = new ConcurrentHashMap<>();

    private final Map<String, FakeEntraId.Principal> byObjectId = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTheTestBed() {
        bed = new AzureTestBed(work);
        provisioner = new ManagedRedisProvisioner(AzureTestBedClients.of(bed), "pb");
        provisioner.checkPlan(plan("balanced", Map.of()));
    }

    /** The Azure RBAC role the project ships lets the broker do all that this suite had it do. */
    @AfterAll
    static void everyActionUsedIsInTheShippedRoleAndTheTestBedStops() {
        try {
            assertThat(bed.brokerActionsUsed())
                    .contains("Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments/write");
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
                .as("requests Azure's published shapes refuse, and what Azure would not allow")
                .isEmpty();
    }

    static Plan plan(String name, Map<String, Object> overrides) {
        return AzureTestBedClients.plan(
                "redis",
                name,
                "An Azure Managed Redis cache of its own",
                Map.of(
                        "sku",
                        "Balanced_B0",
                        "high_availability",
                        false,
                        "backup_storage_account",
                        AzureTestBed.STORAGE_ACCOUNT),
                overrides);
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected Plan plan() {
        return plan("balanced", Map.of());
    }

    /** A new application identity for each binding, the same for each bind of it. */
    @Override
    protected Map<String, Object> bindParameters(String bindingId) {
        FakeEntraId.Principal application = applications.computeIfAbsent(bindingId, id -> {
            FakeEntraId.Principal registered = bed.application();
            byObjectId.put(registered.objectId(), registered);
            return registered;
        });
        return Map.of(ManagedRedisProvisioner.OBJECT_ID, application.objectId());
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new EntraRedisSession(credentials, objectId -> token(objectId, RedisEntraIdCredentials.SCOPE));
    }

    /** A token for {@code scope}, as the application with that object id gets one through the Azure SDK. */
    private String token(String objectId, String scope) {
        return bed.token(byObjectId.get(objectId), scope);
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    /** The instance's cache, and the access policy assignments of its bindings. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String cache = provisioner.cache(instanceId);
        List<String> left = new ArrayList<>();
        if (bed.redisEnterprise().clusters().contains(cache)) {
            left.add("cache:" + cache);
            bed.redisEnterprise().assignments(cache).forEach(name -> left.add("assignment:" + name));
        }
        return left;
    }

    @Test
    void theBindingsCredentialsNameTheApplicationsIdentityAndHoldNoSecret() {
        String instance = provision();
        String binding = newId();

        Credentials credentials = bind(instance, binding);

        assertThat(credentials.values())
                .containsEntry("username", bindParameters(binding).get(ManagedRedisProvisioner.OBJECT_ID))
                .containsEntry("authentication", "entra-id")
                .containsEntry("entra_id_scope", "https://redis.azure.com/.default")
                .containsEntry("port", 10000)
                .containsEntry("tls", true)
                .doesNotContainKey("password");
        assertThat(String.valueOf(credentials.values().get("uri")))
                .startsWith("rediss://")
                .doesNotContain(":@");
    }

    @Test
    void aBindWithoutAnIdentityOrAskingForReadOnlyIsRefusedAndMakesNothing() {
        String instance = provision();
        List<String> before = resourcesLeftFor(instance);

        assertThatThrownBy(() -> bind(instance, newId(), Map.of()))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("object_id");
        assertThatThrownBy(() -> bind(instance, newId(), Map.of(ManagedRedisProvisioner.OBJECT_ID, "not-a-guid")))
                .isInstanceOf(InvalidParametersException.class);
        String binding = newId();
        Map<String, Object> readOnly = Map.of(
                ManagedRedisProvisioner.OBJECT_ID,
                bindParameters(binding).get(ManagedRedisProvisioner.OBJECT_ID),
                BindRequest.READ_ONLY,
                true);
        assertThatThrownBy(() -> bind(instance, binding, readOnly))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("read-only");

        assertThat(resourcesLeftFor(instance)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void onlyTheApplicationsTokensForRedisLetItIn() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        String resourceManager = bed.resourceManager() + "/.default";

        assertThatThrownBy(
                        () -> new EntraRedisSession(credentials, objectId -> token(objectId, resourceManager)).close())
                .as("a login with the application's token for Azure Resource Manager")
                .hasStackTraceContaining("WRONGPASS");
        assertThatThrownBy(
                        () -> new EntraRedisSession(credentials, objectId -> "a-token-entra-id-never-issued").close())
                .as("a login with a token Entra ID never issued")
                .hasStackTraceContaining("WRONGPASS");
    }

    @Test
    void theCacheIsTlsOnlyWithAccessKeysOffAndTaggedWithItsInstance() {
        String instance = provision();
        String cache = provisioner.cache(instance);

        assertThat(bed.redisEnterprise()
                        .cluster(cache)
                        .path("properties")
                        .path("minimumTlsVersion")
                        .asText())
                .isEqualTo("1.2");
        assertThat(bed.redisEnterprise()
                        .cluster(cache)
                        .path("tags")
                        .path("paasbroker:instance")
                        .asText())
                .isEqualTo(instance);
        assertThat(bed.redisEnterprise()
                        .database(cache)
                        .path("properties")
                        .path("clientProtocol")
                        .asText())
                .isEqualTo("Encrypted");
        assertThat(bed.redisEnterprise()
                        .database(cache)
                        .path("properties")
                        .path("accessKeysAuthentication")
                        .asText())
                .isEqualTo("Disabled");
    }

    @Test
    void aResizeAndNewPersistenceKeepTheDataAndTheBindings() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before-the-resize");

        update(instance, plan("bigger", Map.of("sku", "Balanced_B1", "persistence", "rdb")));

        String cache = provisioner.cache(instance);
        assertThat(bed.redisEnterprise().cluster(cache).path("sku").path("name").asText())
                .isEqualTo("Balanced_B1");
        assertThat(bed.redisEnterprise()
                        .database(cache)
                        .path("properties")
                        .path("persistence")
                        .path("rdbEnabled")
                        .asBoolean())
                .isTrue();
        assertThat(read(credentials)).isEqualTo("before-the-resize");
    }

    @Test
    void plansAzureWouldRefuseStopTheBrokerAtStartUp() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan("enterprise", Map.of("sku", "Enterprise_E10"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("retire");
        assertThatThrownBy(() -> provisioner.checkPlan(plan("odd", Map.of("eviction_policy", "Sometimes"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("eviction_policy");
    }

    @Test
    void changesAzureCannotMakeAreRefusedBeforeAnythingIsRecorded() {
        assertThatThrownBy(
                        () -> provisioner.checkPlanChange(plan(), plan("elsewhere", Map.of("location", "westeurope"))))
                .isInstanceOf(PlanChangeRefusedException.class);
        assertThatThrownBy(() ->
                        provisioner.checkPlanChange(plan(), plan("oss", Map.of("clustering_policy", "OSSCluster"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("clustering policy");
    }

    @Test
    void aBackupIsAnExportThatANewCacheImportsAndWhoseBindingsAreItsOwn() {
        String source = provision();
        Credentials sourceCredentials = bind(source, newId());
        writeThenRead(sourceCredentials, "in the backup");
        String backup = "pbtest-backup-" + newId().substring(0, 8);
        InstanceSnapshots snapshots = provisioner.snapshots(plan()).orElseThrow();

        StepOutcome taken = snapshots.startSnapshot(request(source), backup);
        Instant deadline = Instant.now().plus(stepTimeout());
        while (taken instanceof StepOutcome.InProgress) {
            assertThat(Instant.now()).as("the export's end").isBefore(deadline);
            sleep();
            taken = snapshots.pollSnapshot(request(source), backup);
        }
        String restored = create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup));

        assertThat(read(bind(restored, newId()))).isEqualTo("in the backup");
        String restoredCache = provisioner.cache(restored);
        assertThat(bed.redisEnterprise().cluster(restoredCache).path("tags").has(ManagedRedisProvisioner.RESTORE_FROM))
                .as("the backup's tag, once imported")
                .isFalse();
        Map<String, Object> atTheRestoredCache = new java.util.HashMap<>(sourceCredentials.values());
        atTheRestoredCache.put("host", request(restored).outputs().get("host"));
        assertThatThrownBy(() -> connectAs(new Credentials(atTheRestoredCache)).close())
                .as("the source's binding at the restored cache")
                .hasStackTraceContaining("WRONGPASS");

        snapshots.deleteSnapshot(backup);
        assertThatThrownBy(() -> create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup)))
                .hasMessageContaining("gone");
    }

    @Test
    void aPlanWithoutABackupContainerHasNoBackups() {
        Plan withoutBackups =
                AzureTestBedClients.plan("redis", "no-backups", "no backups", Map.of("sku", "Balanced_B0"), Map.of());
        provisioner.checkPlan(withoutBackups);

        assertThat(provisioner.snapshots(withoutBackups)).isEmpty();
        assertThat(provisioner.snapshots(plan())).isPresent();
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The live suite's reaper, against the test bed: it deletes one run's caches and nothing of anyone else's. */
    @Test
    void theLiveReapersDeleteARunsCachesEvenOneStillBeingMadeAndLeaveAnotherBrokers() {
        ManagedRedisProvisioner run = new ManagedRedisProvisioner(AzureTestBedClients.of(bed), "pbrun");
        run.checkPlan(plan());
        InstanceRequest leftover = new InstanceRequest(newId(), plan(), Map.of(), Map.of(), Map.of(), Map.of());
        InstanceRequest creating = new InstanceRequest(newId(), plan(), Map.of(), Map.of(), Map.of(), Map.of());
        new StepRunner(ArmFaultLane::pass)
                .toEnd(() -> run.provision(leftover), reference -> run.poll(leftover, reference));
        run.provision(creating);
        String kept = provisioner.cache(provision());

        assertThat(CacheReaper.reap(
                        AzureTestBedClients.of(bed),
                        AzureTestBed.SUBSCRIPTION_ID,
                        AzureTestBed.RESOURCE_GROUP,
                        "pbrun"))
                .containsExactlyInAnyOrder(run.cache(leftover.instanceId()), run.cache(creating.instanceId()));
        assertThat(bed.redisEnterprise().clusters()).containsExactly(kept);
    }
}
