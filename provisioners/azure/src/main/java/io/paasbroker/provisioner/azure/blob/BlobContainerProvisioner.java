package io.paasbroker.provisioner.azure.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobAccessPolicy;
import com.azure.storage.blob.models.BlobSignedIdentifier;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AsyncBinder;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.DeprovisionRefusedException;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzureResources;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import io.paasbroker.provisioner.azure.arm.ArmRefusal;
import io.paasbroker.provisioner.azure.arm.ArmResponse;
import io.paasbroker.provisioner.credentials.AzureBlobCredentials;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure Blob Storage, the object storage of Azure, with a private container of each service instance's own in the
 * plan's storage account (the operator's, checked at start-up and by health to require secure transfer, allow no
 * public access and take TLS 1.2 at least). The container is made through Azure Resource Manager, named from the OSB
 * id and tagged through its metadata. Each binding is a stored access policy of the container (read and list for a
 * read-only binding; read, add, create, write, delete and list otherwise; expiring as the plan says) and a service SAS
 * bound to it, signed with the account's key: the SAS reaches that container only, and unbind revokes it by deleting
 * the policy. Azure keeps at most five policies a container, so an instance has at most five bindings. Azure takes a
 * policy change within 30 seconds: a bind hands out the SAS once Azure takes it, an unbind ends once Azure refuses it.
 * Deprovision deletes the container and every blob in it, where the plan says it may.
 */
public final class BlobContainerProvisioner implements ServiceProvisioner, AsyncBinder {

    public static final String NAME = "azure";

    /** Azure's most stored access policies of one container: the most bindings of an instance. */
    static final int MOST_BINDINGS = 5;

    /**
     * How long Azure may take to apply a change of a container's stored access policies on all its front ends, as
     * documented: until then, a SAS bound to a new policy may be refused, and one bound to a removed policy taken.
     */
    public static final Duration POLICY_PROPAGATION = Duration.ofSeconds(30);

    /** A bind's or unbind's progress: the policy change, and when it was stored ({@code policy@<epoch ms>}). */
    private static final String POLICY_STEP = "policy";

    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final Pattern NOT_METADATA_NAME = Pattern.compile("[^A-Za-z0-9_]");
    private static final Pattern NOT_METADATA_VALUE = Pattern.compile("[^\\x20-\\x7E]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(BlobContainerProvisioner.class);

    private final AzureClients clients;
    private final String prefix;
    private final StorageAccounts accounts;
    private final ContainerAccess access;
    private final Duration policyPropagation;

    /**
     * @param prefix what the name of every container starts with, and its broker tag
     * @param policyPropagation how long a bind or unbind waits after it changed the stored access policies before it
     *     ends ({@link #POLICY_PROPAGATION} in Azure), and ends only once Azure takes (refuses) the binding's SAS too
     */
    public BlobContainerProvisioner(AzureClients clients, String prefix, Duration policyPropagation) {
        this.clients = clients;
        this.prefix = prefix;
        this.accounts = new StorageAccounts(clients.arm());
        this.access = new ContainerAccess(clients.cloud());
        this.policyPropagation = policyPropagation;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The object-storage kind; its bindings have Azure's shape ({@link AzureBlobCredentials}), as S3 is not spoken. */
    @Override
    public ServiceKind kind() {
        return ServiceKind.S3;
    }

    @Override
    public boolean completesSynchronously() {
        return false;
    }

    /**
     * Refuses a plan whose properties Azure would refuse, or whose storage account Azure does not show the broker or
     * shows less secure than promised; an account Azure does not answer for now is left to health.
     */
    @Override
    public void checkPlan(Plan plan) {
        BlobPlan properties = plan(plan);
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        AzureResources.checkPlacement(name, properties.subscriptionId(), properties.resourceGroup());
        require(
                properties.storageAccount() != null
                        && ACCOUNT.matcher(properties.storageAccount()).matches(),
                name + "storage_account must be a storage account's name (3 to 24 lowercase letters and digits)");
        require(
                properties.signingKey().equals("key1")
                        || properties.signingKey().equals("key2"),
                name + "signing_key must be key1 or key2");
        require(
                properties.bindingExpiryDays() >= 1 && properties.bindingExpiryDays() <= 36500,
                name + "binding_expiry_days must be 1 to 36500");
        require(
                !prefix.contains("--"),
                name + "container names cannot hold two hyphens in a row, and the name prefix '" + prefix + "' does");
        accounts.add(properties);
        StorageAccounts.Account account;
        try {
            account = accounts.read(properties);
        } catch (BackingServiceUnavailableException e) {
            LOG.warn(
                    "{}storage account {} not checked now, health reports it: {}",
                    name,
                    properties.storageAccount(),
                    e.getMessage());
            return;
        } catch (ArmRefusal e) {
            throw new InvalidPlanException(
                    name + "storage account " + properties.storageAccount() + ": " + e.getMessage());
        }
        require(
                account.problems().isEmpty(),
                name + "storage account " + properties.storageAccount() + " is not as secure as the broker promises"
                        + " its tenants: " + String.join("; ", account.problems()));
    }

    /** A container cannot move to another account. */
    @Override
    public void checkPlanChange(Plan from, Plan to) {
        BlobPlan before = plan(from);
        BlobPlan after = plan(to);
        if (!before.accountId().equalsIgnoreCase(after.accountId())) {
            throw new PlanChangeRefusedException("a container's blobs cannot move to another storage account ("
                    + before.storageAccount() + " to " + after.storageAccount() + "): create an instance of the other"
                    + " plan and copy them");
        }
    }

    /** The name of the instance's container. */
    public String container(String instanceId) {
        return AzureResources.name(prefix, instanceId);
    }

    /** The id of the stored access policy of binding {@code bindingId}: 32 hex digits, within Azure's 64. */
    public static String policyId(String bindingId) {
        return ResourceNames.hash(bindingId, 32);
    }

    /**
     * Makes the instance's private container, tagged, or adopts the one a first run of the step made; one of another
     * instance's (its tag says) is refused.
     */
    @Override
    public StepOutcome provision(InstanceRequest request) {
        BlobPlan plan = plan(request.plan());
        StorageAccounts.Account account = accounts.secure(plan);
        String container = container(request.instanceId());
        String id = plan.containerId(container);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("publicAccess", "None").set("metadata", metadata(request));
        Optional<ArmResponse> existing = arm().find(id, StorageAccounts.API_VERSION, "reading container " + container);
        if (existing.isEmpty()) {
            try {
                arm().put(id, StorageAccounts.API_VERSION, body, "creating container " + container);
                return StepOutcome.Completed.with(outputs(plan, account, container));
            } catch (ArmRefusal e) {
                if (!e.is(409)) {
                    throw e;
                }
                // a run of the step whose answer was lost made it
                existing = arm().find(id, StorageAccounts.API_VERSION, "reading container " + container);
            }
        }
        adopt(
                request,
                existing.orElseThrow(() -> new BackingServiceUnavailableException(
                        "container " + container + " was there, then not: the step runs again", null)),
                body);
        return StepOutcome.Completed.with(outputs(plan, account, container));
    }

    /** Brings the instance's existing container's tags and access to the plan, once its tag shows it the instance's. */
    private void adopt(InstanceRequest request, ArmResponse existing, ObjectNode body) {
        String container = container(request.instanceId());
        JsonNode properties = existing.body().path("properties");
        if (!ownedBy(existing, request.instanceId())) {
            throw new ProvisioningFailedException("container " + container + " exists and is not this instance's (its "
                    + metadataName(ResourceTags.INSTANCE) + " metadata says otherwise): the operator must remove it");
        }
        if (!properties.path("metadata").equals(body.path("properties").path("metadata"))
                || !properties.path("publicAccess").asText("None").equals("None")) {
            arm().patch(
                            plan(request.plan()).containerId(container),
                            StorageAccounts.API_VERSION,
                            body,
                            "tagging container " + container);
        }
    }

    /** Whether the container's {@code paasbroker:instance} metadata names the instance. */
    private static boolean ownedBy(ArmResponse container, String instanceId) {
        return container
                .body()
                .path("properties")
                .path("metadata")
                .path(metadataName(ResourceTags.INSTANCE))
                .asText("")
                .equals(metadataValue(ResourceTags.value(instanceId)));
    }

    private static Map<String, String> outputs(BlobPlan plan, StorageAccounts.Account account, String container) {
        return Map.of(
                "container",
                container,
                "storage_account_name",
                plan.storageAccount(),
                "endpoint",
                account.blobEndpoint().toString(),
                "resource_id",
                plan.containerId(container));
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        throw new IllegalStateException("container steps complete at once: nothing is left to poll");
    }

    /** Tags the container for the new plan; its account stays ({@link #checkPlanChange}). */
    @Override
    public StepOutcome update(UpdateRequest request) {
        checkPlanChange(request.previousPlan(), request.instance().plan());
        InstanceRequest instance = request.instance();
        BlobPlan plan = plan(instance.plan());
        StorageAccounts.Account account = accounts.secure(plan);
        String container = container(instance.instanceId());
        ArmResponse existing = arm().find(
                        plan.containerId(container), StorageAccounts.API_VERSION, "reading container " + container)
                .orElseThrow(() -> new ProvisioningFailedException("container " + container
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("publicAccess", "None").set("metadata", metadata(instance));
        adopt(instance, existing, body);
        return StepOutcome.Completed.with(outputs(plan, account, container));
    }

    /** A container that holds blobs, on a plan that does not delete data: its owner can empty it first. */
    @Override
    public void checkDeprovision(InstanceRequest request) {
        BlobPlan plan = plan(request.plan());
        if (plan.deleteNonEmptyContainers()) {
            return;
        }
        String container = container(request.instanceId());
        BlobContainerClient client = asAccount(plan, accounts.read(plan), container);
        try {
            if (access.holdsBlobs(client)) {
                throw new DeprovisionRefusedException("container " + container + " still holds blobs, and this plan"
                        + " does not delete data: delete them first (or copy them elsewhere), then the instance");
            }
        } catch (ProvisioningFailedException e) {
            if (e instanceof DeprovisionRefusedException || !ContainerAccess.containerMissing(e)) {
                throw e;
            }
        }
    }

    /**
     * Deletes the container, and with it every blob and every binding's policy; the refusal of a container that holds
     * blobs on a plan that keeps them comes first and changes nothing.
     */
    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        BlobPlan plan = plan(request.plan());
        String container = container(request.instanceId());
        Optional<ArmResponse> existing =
                arm().find(plan.containerId(container), StorageAccounts.API_VERSION, "reading container " + container);
        if (existing.isEmpty() || !ownedBy(existing.get(), request.instanceId())) {
            // gone, or another's of the same name (a provision refused to adopt it), which is never deleted
            return StepOutcome.Completed.with(Map.of());
        }
        checkDeprovision(request);
        try {
            arm().delete(plan.containerId(container), StorageAccounts.API_VERSION, "deleting container " + container);
        } catch (ArmRefusal e) {
            if (e.is(404)) {
                return StepOutcome.Completed.with(Map.of());
            }
            if (e.is(409)) {
                // a bind or unbind holds the container's lease for a few seconds
                throw new BackingServiceUnavailableException(
                        "container " + container + " is leased by a binding's step; the deletion runs again later", e);
            }
            throw e;
        }
        return StepOutcome.Completed.with(Map.of());
    }

    // --- bind and unbind

    /**
     * Stores the binding's policy in the container (kept as it is when a first run of the step stored it), refusing a
     * sixth; its SAS comes in {@link #pollBind}, once Azure takes the policy.
     */
    @Override
    public BindOutcome startBind(BindRequest request) {
        BlobPlan plan = plan(request.instance().plan());
        StorageAccounts.Account account = accounts.secure(plan);
        String container = container(request.instance().instanceId());
        String policyId = policyId(request.bindingId());
        BlobContainerClient client = asAccount(plan, account, container);
        access.changePolicies(client, policies -> {
            if (policies.stream().anyMatch(policy -> policy.getId().equals(policyId))) {
                return null;
            }
            if (policies.size() >= MOST_BINDINGS) {
                throw new ProvisioningFailedException("container " + container + " has " + policies.size()
                        + " bindings, as many as Azure allows (one stored access policy each, at most " + MOST_BINDINGS
                        + " a container): unbind one of the instance's bindings before binding again");
            }
            policies.add(new BlobSignedIdentifier()
                    .setId(policyId)
                    .setAccessPolicy(new BlobAccessPolicy()
                            .setPermissions(permissions(request.readOnly()))
                            .setExpiresOn(OffsetDateTime.now(ZoneOffset.UTC)
                                    .plusDays(plan.bindingExpiryDays())
                                    .truncatedTo(ChronoUnit.SECONDS))));
            return policies;
        });
        return new StepOutcome.InProgress(
                policyChanged(Instant.now()),
                "Azure is applying the stored access policy of the binding to container " + container);
    }

    /**
     * Signs the binding's SAS and hands it out once Azure has had the time it takes to apply the policy everywhere and
     * takes the SAS.
     */
    @Override
    public BindOutcome pollBind(BindRequest request, String reference) {
        String container = container(request.instance().instanceId());
        if (!propagated(reference)) {
            return new StepOutcome.InProgress(
                    reference, "Azure is applying the stored access policy of the binding to container " + container);
        }
        BlobPlan plan = plan(request.instance().plan());
        StorageAccounts.Account account = accounts.secure(plan);
        String policyId = policyId(request.bindingId());
        BlobContainerClient client = asAccount(plan, account, container);
        BlobSignedIdentifier policy = access.policies(client).stream()
                .filter(found -> found.getId().equals(policyId))
                .findFirst()
                .orElseThrow(() -> new ProvisioningFailedException("the stored access policy " + policyId
                        + " of the binding is no longer in container " + container + ": bind again"));
        String sas = access.sas(client, policyId);
        if (!access.takes(account.blobEndpoint(), container, sas)) {
            return new StepOutcome.InProgress(
                    reference, "Azure is applying the stored access policy of the binding to container " + container);
        }
        return new BindOutcome.Bound(new AzureBlobCredentials(
                        account.blobEndpoint(),
                        plan.storageAccount(),
                        container,
                        sas,
                        policy.getAccessPolicy().getExpiresOn().toInstant(),
                        clients.cloud().databaseTls(),
                        isReadOnly(policy))
                .toCredentials());
    }

    /**
     * Deletes the binding's policy; the unbind ends once Azure has had the time it takes to apply that everywhere and
     * refuses the binding's SAS.
     */
    @Override
    public StepOutcome startUnbind(BindRequest request) {
        BlobPlan plan = plan(request.instance().plan());
        String container = container(request.instance().instanceId());
        String policyId = policyId(request.bindingId());
        try {
            BlobContainerClient client = asAccount(plan, accounts.read(plan), container);
            access.changePolicies(
                    client,
                    policies -> policies.removeIf(policy -> policy.getId().equals(policyId)) ? policies : null);
        } catch (ProvisioningFailedException e) {
            if (ContainerAccess.containerMissing(e)) {
                return StepOutcome.Completed.with(Map.of()); // the container went with every policy in it
            }
            throw e;
        }
        return new StepOutcome.InProgress(
                policyChanged(Instant.now()),
                "Azure is removing the stored access policy of the binding from container " + container);
    }

    /** Whether Azure refuses the binding's SAS everywhere yet: it signs the same SAS again and tries it. */
    @Override
    public StepOutcome pollUnbind(BindRequest request, String reference) {
        String container = container(request.instance().instanceId());
        if (!propagated(reference)) {
            return new StepOutcome.InProgress(
                    reference, "Azure is removing the stored access policy of the binding from container " + container);
        }
        BlobPlan plan = plan(request.instance().plan());
        StorageAccounts.Account account = accounts.read(plan);
        try {
            String sas = access.sas(asAccount(plan, account, container), policyId(request.bindingId()));
            if (!access.takes(account.blobEndpoint(), container, sas)) {
                return StepOutcome.Completed.with(Map.of());
            }
        } catch (ProvisioningFailedException e) {
            if (ContainerAccess.containerMissing(e)) {
                return StepOutcome.Completed.with(Map.of());
            }
            throw e;
        }
        return new StepOutcome.InProgress(
                reference, "Azure is removing the stored access policy of the binding from container " + container);
    }

    /** Never called: the broker binds through {@link #startBind}, as Azure takes a policy within 30 seconds. */
    @Override
    public Credentials bind(BindRequest request) {
        throw new UnsupportedOperationException("stored access policies take effect asynchronously: see startBind");
    }

    /** Never called: the broker unbinds through {@link #startUnbind}. */
    @Override
    public void unbind(BindRequest request) {
        throw new UnsupportedOperationException("stored access policies are removed through startUnbind");
    }

    private static String policyChanged(Instant at) {
        return POLICY_STEP + "@" + at.toEpochMilli();
    }

    /**
     * Whether Azure has had the time it takes to apply the policy change of progress {@code reference}; one recorded
     * before the change's time was (plain {@code policy}) is taken as long done.
     */
    private boolean propagated(String reference) {
        int at = reference.indexOf('@');
        Instant changed = at < 0 ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(reference.substring(at + 1)));
        return !Instant.now().isBefore(changed.plus(policyPropagation));
    }

    private static String permissions(boolean readOnly) {
        BlobContainerSasPermission permissions =
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true);
        if (!readOnly) {
            permissions
                    .setAddPermission(true)
                    .setCreatePermission(true)
                    .setWritePermission(true)
                    .setDeletePermission(true);
        }
        return permissions.toString();
    }

    /** Whether the policy lets a SAS change nothing. */
    private static boolean isReadOnly(BlobSignedIdentifier policy) {
        BlobContainerSasPermission permissions =
                BlobContainerSasPermission.parse(policy.getAccessPolicy().getPermissions());
        return !(permissions.hasAddPermission()
                || permissions.hasCreatePermission()
                || permissions.hasWritePermission()
                || permissions.hasDeletePermission());
    }

    /** Streamed: a container's blobs are the tenant's, and Azure keeps no backup of them the broker could restore. */
    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(new ContainerBackups(this));
    }

    /** Whether Azure shows the broker each plan's storage account, as secure as promised. */
    @Override
    public Health health() {
        return accounts.health();
    }

    /** The instance's tags as container metadata: names are identifiers, values printable ASCII. */
    private ObjectNode metadata(InstanceRequest request) {
        ObjectNode metadata = JSON.createObjectNode();
        new TreeMap<>(ResourceTags.of(request, prefix))
                .forEach((tag, value) -> metadata.put(metadataName(tag), metadataValue(value)));
        return metadata;
    }

    private static String metadataName(String tag) {
        return NOT_METADATA_NAME.matcher(tag).replaceAll("_");
    }

    private static String metadataValue(String value) {
        return NOT_METADATA_VALUE.matcher(value).replaceAll("_");
    }

    /** The instance's container as its storage account, for its backups. */
    BlobContainerClient asAccount(InstanceRequest instance) {
        BlobPlan plan = plan(instance.plan());
        return asAccount(plan, accounts.read(plan), container(instance.instanceId()));
    }

    private BlobContainerClient asAccount(BlobPlan plan, StorageAccounts.Account account, String container) {
        if (account.blobEndpoint() == null) {
            throw new ProvisioningFailedException(
                    "storage account " + plan.storageAccount() + " has no Blob endpoint (primaryEndpoints.blob)");
        }
        return access.asAccount(account.blobEndpoint(), plan.storageAccount(), accounts.key(plan), container);
    }

    private ArmClient arm() {
        return clients.arm();
    }

    static BlobPlan plan(Plan plan) {
        return PlanProperties.read(plan, BlobPlan.class);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidPlanException(message);
        }
    }
}
