package io.paasbroker.provisioner.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlobType;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.RoleCoverage;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.DeprovisionRefusedException;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.TestPlans;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract and Azure's own rules for object-storage plans on Blob Storage, through the Azure SDK's
 * pipeline and credential chain against the test bed's fake Entra ID and Azure Resource Manager, with Azurite behind
 * the storage account: every SAS a binding gets is checked by Azurite itself. A tenant is an application with the
 * Azure SDK's container client made from its binding's credentials alone. Every request to Azure Resource Manager
 * must conform to Azure's published REST shapes, and no container may hold more stored access policies than Azure
 * allows.
 */
class BlobContainerProvisionerIT extends ServiceProvisionerContract {

    @TempDir
    static Path work;

    private static AzureTestBed bed;
    private static BlobContainerProvisioner provisioner;

    @BeforeAll
    static void startTheTestBed() {
        bed = new AzureTestBed(work);
        provisioner = new BlobContainerProvisioner(AzureTestBedClients.of(bed), "pb", Duration.ZERO);
        provisioner.checkPlan(plan("standard", Map.of()));
    }

    /** The Azure RBAC role the project ships lets the broker do all that this suite had it do. */
    @AfterAll
    static void everyActionUsedIsInTheShippedRoleAndTheTestBedStops() {
        try {
            assertThat(bed.brokerActionsUsed()).contains("Microsoft.Storage/storageAccounts/listKeys/action");
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

    /** A plan of {@code overrides} on top of one whose deletions take the blobs with them. */
    static Plan plan(String name, Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("subscription_id", AzureTestBed.SUBSCRIPTION_ID);
        properties.put("resource_group", AzureTestBed.RESOURCE_GROUP);
        properties.put("storage_account", AzureTestBed.STORAGE_ACCOUNT);
        properties.put("delete_non_empty_containers", true);
        properties.putAll(overrides);
        return TestPlans.of(
                "plan-azure-blob-" + name, name, "A Blob Storage container of its own", "azure", properties);
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected Plan plan() {
        return plan("standard", Map.of());
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new ContainerSession(credentials);
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    /** The instance's container, and the stored access policies of its bindings. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String container = provisioner.container(instanceId);
        List<String> left = new ArrayList<>();
        if (bed.storageAccounts().containers().contains(container)) {
            left.add("container:" + container);
        }
        bed.storageAccounts().policies(container).forEach(policy -> left.add("policy:" + policy));
        return left;
    }

    @Test
    void theContainerIsPrivateAndTaggedWithTheInstanceAndItsPlan() {
        String instance = provision();

        JsonNode container = bed.storageAccounts()
                .container(provisioner.container(instance))
                .orElseThrow()
                .path("properties");
        assertThat(container.path("publicAccess").asText()).isEqualTo("None");
        assertThat(container.path("metadata").path("paasbroker_instance").asText())
                .isEqualTo(instance);
        assertThat(container.path("metadata").path("paasbroker_plan").asText()).isEqualTo("standard");
        assertThat(container.path("metadata").path("paasbroker_organization").asText())
                .isEqualTo("org-contract");

        update(instance, plan("renamed", Map.of()));

        assertThat(bed.storageAccounts()
                        .container(provisioner.container(instance))
                        .orElseThrow()
                        .path("properties")
                        .path("metadata")
                        .path("paasbroker_plan")
                        .asText())
                .isEqualTo("renamed");
    }

    @Test
    void credentialsHaveAzuresShapeAndEachFormWorksWithTheAzureSdk() {
        String instance = provision();
        String binding = newId();
        Credentials credentials = bind(instance, binding);
        writeThenRead(credentials, "in-the-container");
        Map<String, Object> values = credentials.values();

        assertThat(values)
                .containsEntry("type", "azure-blob")
                .containsEntry("storage_account_name", AzureTestBed.STORAGE_ACCOUNT)
                .containsEntry("container", provisioner.container(instance))
                .containsEntry("endpoint", bed.azurite().blobEndpoint().toString())
                .containsEntry("read_only", false)
                .containsKeys("sas_token", "uri", "connection_string", "ca_certificate");
        assertThat(Instant.parse(ContainerSession.text(credentials, "expires_at")))
                .isAfter(Instant.now().plus(Duration.ofDays(3649)));
        assertThat(ContainerSession.text(credentials, "sas_token"))
                .contains("si=" + BlobContainerProvisioner.policyId(binding))
                .contains("spr=https");
        BlobContainerClient fromConnectionString = new BlobServiceClientBuilder()
                .connectionString(ContainerSession.text(credentials, "connection_string"))
                .httpClient(ContainerSession.http(credentials))
                .buildClient()
                .getBlobContainerClient(ContainerSession.text(credentials, "container"));
        assertThat(fromConnectionString
                        .getBlobClient("marker")
                        .downloadContent()
                        .toString())
                .isEqualTo("in-the-container");
        BlobContainerClient fromToken = new BlobContainerClientBuilder()
                .endpoint(ContainerSession.text(credentials, "endpoint"))
                .containerName(ContainerSession.text(credentials, "container"))
                .sasToken(ContainerSession.text(credentials, "sas_token"))
                .httpClient(ContainerSession.http(credentials))
                .buildClient();
        assertThat(fromToken.getBlobClient("marker").downloadContent().toString())
                .isEqualTo("in-the-container");
    }

    @Test
    void aReadOnlyBindingListsAndReadsButCannotWriteOrDelete() {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));
        writeThenRead(writer, "written-by-the-writer");

        assertThat(reader.values()).containsEntry("read_only", true);
        assertThat(read(reader)).isEqualTo("written-by-the-writer");
        assertThat(ContainerSession.client(reader).listBlobs())
                .extracting(blob -> blob.getName())
                .containsExactly("marker");
        assertThat(status(() ->
                        ContainerSession.client(reader).getBlobClient("other").upload(BinaryData.fromString("x"))))
                .isEqualTo(403);
        assertThat(status(() ->
                        ContainerSession.client(reader).getBlobClient("marker").delete()))
                .isEqualTo(403);
        assertThat(read(writer)).isEqualTo("written-by-the-writer");
    }

    @Test
    void unbindRevokesTheBindingsSasWhileTheOtherBindingAndTheDataStay() {
        String instance = provision();
        String revoked = newId();
        Credentials unbound = bind(instance, revoked);
        String other = newId();
        Credentials kept = bind(instance, other);
        writeThenRead(unbound, "before-the-unbind");

        unbind(instance, revoked);

        assertThat(status(() ->
                        ContainerSession.client(unbound).getBlobClient("marker").downloadContent()))
                .as("the unbound binding's SAS, its stored access policy gone")
                .isEqualTo(403);
        assertThat(bed.storageAccounts().policies(provisioner.container(instance)))
                .containsExactly(BlobContainerProvisioner.policyId(other));
        assertThat(read(kept)).isEqualTo("before-the-unbind");
    }

    @Test
    void aSixthBindingIsRefusedWithAClearMessageAndOneUnbindMakesRoom() {
        String instance = provision();
        List<String> bindings = new ArrayList<>();
        for (int binding = 0; binding < BlobContainerProvisioner.MOST_BINDINGS; binding++) {
            bindings.add(newId());
            bind(instance, bindings.get(binding));
        }

        assertThatThrownBy(() -> bind(instance, newId()))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("has 5 bindings, as many as Azure allows")
                .hasMessageContaining("at most 5 a container")
                .hasMessageContaining("unbind one of the instance's bindings");
        assertThat(bed.storageAccounts().policies(provisioner.container(instance)))
                .hasSize(5);

        unbind(instance, bindings.get(0));
        Credentials sixth = bind(instance, newId());

        assertThat(writeThenRead(sixth, "after-making-room")).isEqualTo("after-making-room");
        assertThat(bed.storageAccounts().policies(provisioner.container(instance)))
                .hasSize(5);
    }

    @Test
    void bindsAndUnbindsAtOnceLoseNoOnesPolicyAndBringNoRevokedOneBack() throws Exception {
        String instance = provision();
        List<String> unbound = List.of(newId(), newId());
        for (String binding : unbound) {
            bind(instance, binding);
        }
        List<String> bound = List.of(newId(), newId(), newId());
        ExecutorService steps = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> running = new ArrayList<>();
            bound.forEach(binding -> running.add(steps.submit(() -> bind(instance, binding))));
            unbound.forEach(binding -> running.add(steps.submit(() -> unbind(instance, binding))));
            for (Future<?> step : running) {
                step.get(60, TimeUnit.SECONDS);
            }
        } finally {
            steps.shutdownNow();
        }

        assertThat(bed.storageAccounts().policies(provisioner.container(instance)))
                .containsExactlyInAnyOrderElementsOf(
                        bound.stream().map(BlobContainerProvisioner::policyId).toList());
    }

    @Test
    void oneBindingsSasReachesNoOtherInstancesContainerNorTheAccount() {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        writeThenRead(theirs, "their-secret-data");
        BlobContainerClient theirContainerWithMySas = new BlobContainerClientBuilder()
                .endpoint(ContainerSession.text(theirs, "container_url"))
                .sasToken(ContainerSession.text(mine, "sas_token"))
                .httpClient(ContainerSession.http(mine))
                .retryOptions(ContainerSession.ONE_TRY)
                .buildClient();

        assertThat(status(() -> theirContainerWithMySas.getBlobClient("marker").downloadContent()))
                .isEqualTo(403);
        assertThat(status(() -> theirContainerWithMySas.listBlobs().iterator().hasNext()))
                .isEqualTo(403);
        assertThat(status(
                        () -> theirContainerWithMySas.getBlobClient("marker").upload(BinaryData.fromString("x"), true)))
                .isEqualTo(403);
        assertThat(status(() -> new BlobServiceClientBuilder()
                        .endpoint(ContainerSession.text(mine, "endpoint"))
                        .sasToken(ContainerSession.text(mine, "sas_token"))
                        .httpClient(ContainerSession.http(mine))
                        .retryOptions(ContainerSession.ONE_TRY)
                        .buildClient()
                        .listBlobContainers()
                        .iterator()
                        .hasNext()))
                .isEqualTo(403);
        assertThat(read(theirs)).isEqualTo("their-secret-data");
    }

    @Test
    void aContainerHoldingBlobsIsNotDeletedUnlessThePlanSaysToAndTheRefusalChangesNothing() {
        String instance = provision(plan("keeping", Map.of("delete_non_empty_containers", false)));
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "kept");

        assertThatThrownBy(() -> provisioner.checkDeprovision(request(instance)))
                .isInstanceOf(DeprovisionRefusedException.class)
                .hasMessageContaining("still holds blobs");
        assertThatThrownBy(() -> provisioner.deprovision(request(instance)))
                .isInstanceOf(DeprovisionRefusedException.class);
        assertThat(read(credentials)).as("the binding after the refusal").isEqualTo("kept");

        update(instance, plan("deleting", Map.of("delete_non_empty_containers", true)));
        deprovision(instance);
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void theLiveSuitesReaperDeletesARunsContainersAndNoOthers() {
        BlobContainerProvisioner run =
                new BlobContainerProvisioner(AzureTestBedClients.of(bed), "pbrun", Duration.ZERO);
        run.checkPlan(plan());
        String leftover = newId();
        run.provision(new InstanceRequest(leftover, plan(), Map.of(), Map.of(), Map.of(), Map.of()));
        String kept = provision();

        assertThat(ContainerReaper.reap(AzureTestBedClients.of(bed), plan(), "pbrun"))
                .containsExactly(run.container(leftover));

        assertThat(bed.storageAccounts().containers())
                .doesNotContain(run.container(leftover))
                .contains(provisioner.container(kept));
    }

    @Test
    void aBindAndAnUnbindEndOnlyOnceAzureHasHadTheTimeToApplyThePolicyEverywhere() throws InterruptedException {
        Duration propagation = Duration.ofSeconds(2);
        BlobContainerProvisioner waiting = new BlobContainerProvisioner(AzureTestBedClients.of(bed), "pb", propagation);
        String instance = provision();
        BindRequest binding = new BindRequest(request(instance), newId(), Map.of(), Map.of());

        StepOutcome.InProgress stored = (StepOutcome.InProgress) waiting.startBind(binding);
        assertThat(waiting.pollBind(binding, stored.reference()))
                .as("Azurite takes the SAS at once; one of Azure's front ends may not for 30 s")
                .isInstanceOf(StepOutcome.InProgress.class);
        Thread.sleep(propagation.toMillis());
        Credentials credentials = ((BindOutcome.Bound) waiting.pollBind(binding, stored.reference())).credentials();
        assertThat(new ContainerSession(credentials).readMarker()).isNull();

        StepOutcome.InProgress removed = (StepOutcome.InProgress) waiting.startUnbind(binding);
        assertThat(status(() -> ContainerSession.client(credentials)
                        .listBlobs()
                        .iterator()
                        .hasNext()))
                .isEqualTo(403);
        assertThat(waiting.pollUnbind(binding, removed.reference()))
                .as("Azurite refuses the SAS at once; one of Azure's front ends may take it for 30 s")
                .isInstanceOf(StepOutcome.InProgress.class);
        Thread.sleep(propagation.toMillis());
        assertThat(waiting.pollUnbind(binding, removed.reference())).isInstanceOf(StepOutcome.Completed.class);
    }

    @Test
    void aBackupRestoresEveryBlobWithItsHeadersMetadataAndTypeIntoAnotherInstance() {
        String source = provision();
        BlobContainerClient written = ContainerSession.client(bind(source, newId()));
        written.getBlobClient("docs/a.txt")
                .getBlockBlobClient()
                .uploadWithResponse(
                        new BlockBlobSimpleUploadOptions(BinaryData.fromString("hello"))
                                .setHeaders(new BlobHttpHeaders()
                                        .setContentType("text/plain")
                                        .setCacheControl("max-age=60"))
                                .setMetadata(Map.of("owner", "team-a")),
                        null,
                        Context.NONE);
        AppendBlobClient log = written.getBlobClient("log").getAppendBlobClient();
        log.create();
        log.appendBlock(BinaryData.fromString("one\n").toStream(), 4);
        log.appendBlock(BinaryData.fromString("two\n").toStream(), 4);
        byte[] large = new byte[9 * 1024 * 1024 + 7];
        new Random(7).nextBytes(large);
        written.getBlobClient("large.bin").upload(BinaryData.fromBytes(large));

        byte[] backup = backup(source);
        String copy = provision();
        restore(copy, backup);

        BlobContainerClient restored = ContainerSession.client(bind(copy, newId()));
        BlobProperties text = restored.getBlobClient("docs/a.txt").getProperties();
        assertThat(restored.getBlobClient("docs/a.txt").downloadContent().toString())
                .isEqualTo("hello");
        assertThat(text.getContentType()).isEqualTo("text/plain");
        assertThat(text.getCacheControl()).isEqualTo("max-age=60");
        assertThat(text.getMetadata()).containsEntry("owner", "team-a");
        assertThat(restored.getBlobClient("log").getProperties().getBlobType()).isEqualTo(BlobType.APPEND_BLOB);
        assertThat(restored.getBlobClient("log").downloadContent().toString()).isEqualTo("one\ntwo\n");
        assertThat(restored.getBlobClient("large.bin").downloadContent().toBytes())
                .as("a blob larger than a restore's block, uploaded in blocks")
                .isEqualTo(large);
    }

    @Test
    void aBackupCutShortRestoresNothingAndSaysSo() {
        String source = provision();
        ContainerSession.client(bind(source, newId()))
                .getBlobClient("a")
                .upload(BinaryData.fromBytes(new byte[64 * 1024]));
        byte[] backup = backup(source);
        String copy = provision();

        assertThatThrownBy(() -> restore(copy, Arrays.copyOf(backup, backup.length - 1000)))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("the backup is not whole");
        assertThat(provisioner.asAccount(request(copy)).listBlobs())
                .as("what the cut restore wrote is deleted")
                .isEmpty();
    }

    @Test
    void aContainerHoldingAPageBlobIsNotBackedUpAndSaysWhy() {
        String source = provision();
        ContainerSession.client(bind(source, newId()))
                .getBlobClient("disk")
                .getPageBlobClient()
                .create(512);

        assertThatThrownBy(() -> backup(source))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("page blob 'disk'");
    }

    @Test
    void anAccountLessSecureThanPromisedIsRefusedAtStartUpAndReportedByHealth() {
        assertThat(provisioner.health().isUp()).isTrue();
        bed.storageAccounts().setProperty("allowBlobPublicAccess", BooleanNode.TRUE);
        try {
            assertThatThrownBy(() -> provisioner.checkPlan(plan("standard", Map.of())))
                    .isInstanceOf(InvalidPlanException.class)
                    .hasMessageContaining("anonymous public access to blobs is allowed");
            assertThat(provisioner.health().problemsByResource().values())
                    .singleElement()
                    .asString()
                    .contains("allowBlobPublicAccess");
            assertThatThrownBy(this::provision)
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("the operator must fix");
        } finally {
            bed.storageAccounts().setProperty("allowBlobPublicAccess", BooleanNode.FALSE);
        }
        assertThatThrownBy(() -> provisioner.checkPlan(plan("elsewhere", Map.of("storage_account", "pbnosuchaccount"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("ResourceNotFound");
        assertThatThrownBy(
                        () -> provisioner.checkPlanChange(plan(), plan("other", Map.of("storage_account", "pbother"))))
                .isInstanceOf(PlanChangeRefusedException.class);
    }

    private static int status(Runnable call) {
        return refusal(call).getStatusCode();
    }

    private static BlobStorageException refusal(Runnable call) {
        try {
            call.run();
        } catch (BlobStorageException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }
}
