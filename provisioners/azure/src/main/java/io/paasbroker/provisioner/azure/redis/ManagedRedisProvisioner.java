package io.paasbroker.provisioner.azure.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AsyncBinder;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzureResources;
import io.paasbroker.provisioner.azure.ResourceGroups;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import io.paasbroker.provisioner.azure.arm.ArmProgress;
import io.paasbroker.provisioner.azure.arm.ArmRefusal;
import io.paasbroker.provisioner.azure.arm.ArmResponse;
import io.paasbroker.provisioner.azure.arm.LongRunningOperation;
import io.paasbroker.provisioner.azure.blob.ContainerAccess;
import io.paasbroker.provisioner.credentials.RedisEntraIdCredentials;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An Azure Managed Redis cache of each service instance's own (ADR 23). Provision creates the cache (named from the
 * OSB id, tagged, TLS 1.2 at least) and its one database ({@code default}: TLS only, on port 10000, access keys off,
 * so no secret is shared by every binding), following Azure's long-running operations; updates change its size, high
 * availability and database settings; deprovision deletes it.
 *
 * <p>A binding is the application's own Microsoft Entra ID identity, named by its object id ({@value #OBJECT_ID} bind
 * parameter), let into the cache by an access policy assignment of its own; unbind deletes the assignment. The broker
 * holds no secret of a binding: the application logs in with its identity's tokens. Azure offers only the
 * {@code default} access policy (every command on every key), so there are no read-only bindings.
 */
public final class ManagedRedisProvisioner implements ServiceProvisioner, AsyncBinder {

    public static final String NAME = "azure";

    /** Bind parameter: the object id of the Entra ID identity (managed identity, service principal) to let in. */
    public static final String OBJECT_ID = "object_id";

    /** The newest stable api-version with Managed Redis' sizes, access policy assignments and network access. */
    static final String API_VERSION = "2025-07-01";

    /** The one database of a cache, and the port Azure Managed Redis serves it on. */
    static final String DATABASE = "default";

    static final int PORT = 10000;

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** States in which Azure takes no change of a cache, a database or an assignment; a step waits them out. */
    private static final Set<String> BUSY = Set.of("Creating", "Updating", "Deleting");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AzureClients clients;
    private final String prefix;
    private final ResourceGroups resourceGroups = new ResourceGroups();
    private final ManagedRedisSnapshots snapshots;

    public ManagedRedisProvisioner(AzureClients clients, String prefix) {
        this.clients = clients;
        this.prefix = prefix;
        this.snapshots = new ManagedRedisSnapshots(this, clients.arm(), new ContainerAccess(clients.cloud()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.REDIS;
    }

    @Override
    public boolean completesSynchronously() {
        return false;
    }

    @Override
    public void checkPlan(Plan plan) {
        ManagedRedisPlan properties = plan(plan);
        ManagedRedisPlanChecks.checkPlan(plan, properties);
        resourceGroups.add(properties.subscriptionId(), properties.resourceGroup());
        properties.exports().ifPresent(snapshots::add);
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        ManagedRedisPlanChecks.checkPlanChange(plan(from), plan(to));
    }

    /** The name of the instance's cache. */
    public String cache(String instanceId) {
        return AzureResources.name(prefix, instanceId);
    }

    /** The name of a binding's access policy assignment: letters and digits only, as Azure requires. */
    static String assignment(String bindingId) {
        return "pb" + ResourceNames.hash(bindingId, 24);
    }

    // --- instance steps

    @Override
    public StepOutcome provision(InstanceRequest request) {
        return create(request, Optional.empty());
    }

    /**
     * The provision of an instance made from backup {@code source} ({@link ManagedRedisSnapshots}): its cache is made
     * as any, tagged with the backup, and imports the backup's files once it is ready.
     */
    StepOutcome restore(InstanceRequest request, String source) {
        return create(request, Optional.of(source));
    }

    private StepOutcome create(InstanceRequest request, Optional<String> restoreFrom) {
        ManagedRedisPlan plan = plan(request.plan());
        String cache = cache(request.instanceId());
        Stage stage = restoreFrom.isPresent() ? Stage.RESTORE : Stage.CREATE;
        Optional<ArmResponse> existing = find(plan, cache);
        if (existing.isPresent()) {
            // a first run of the step made it, unless it is another's
            AzureResources.requireInstance(existing.get(), "cache " + cache, request.instanceId());
            return new ArmProgress<>(stage, Optional.empty()).outcome("Azure is creating cache " + cache);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("location", plan.location());
        ObjectNode tags = AzureResources.tags(request, prefix);
        restoreFrom.ifPresent(source -> tags.put(RESTORE_FROM, ResourceTags.value(source)));
        body.set("tags", tags);
        body.putObject("sku").put("name", plan.sku());
        body.set("properties", cacheProperties(plan).put("minimumTlsVersion", "1.2"));
        ArmResponse created =
                whenNotBusy(cache, () -> arm().put(plan.cacheId(cache), API_VERSION, body, "creating cache " + cache));
        return new ArmProgress<>(stage, created.operation()).outcome("Azure is creating cache " + cache);
    }

    /** The tag of a cache made from a backup until it has imported it: the backup ({@link ManagedRedisSnapshots}). */
    static final String RESTORE_FROM = "paasbroker:restore-from";

    @Override
    public Optional<InstanceSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    /** Plans with a backup container have backups: Azure's exports into it. */
    @Override
    public Optional<InstanceSnapshots> snapshots(Plan plan) {
        return plan(plan).exports().isPresent() ? snapshots() : Optional.empty();
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        ArmProgress<Stage> progress = ArmProgress.of(Stage.class, progressReference);
        ManagedRedisPlan plan = plan(request.plan());
        String cache = cache(request.instanceId());
        if (progress.operation().isPresent() && !finished(progress.operation().get(), cache, progress.stage())) {
            return progress.outcome("Azure is " + progress.stage().doing() + " cache " + cache);
        }
        return switch (progress.stage()) {
            case DELETE -> deleting(request, plan);
            case UPDATE_WAITING -> change(request);
            default -> converge(request, plan, progress.stage());
        };
    }

    /** Whether the operation is over; one that failed fails the step with Azure's reason. */
    private boolean finished(LongRunningOperation operation, String cache, Stage stage) {
        String doing = stage.doing() + " cache " + cache;
        LongRunningOperation.State state = arm().operationState(operation, doing);
        return switch (state.status()) {
            case RUNNING -> false;
            case FAILED ->
                throw new ProvisioningFailedException(
                        "an operation of Azure's failed while " + doing + ": " + state.reason());
            case SUCCEEDED -> true;
        };
    }

    /** Brings the ready cache's database to the plan, one request a poll; done once it is. */
    private StepOutcome converge(InstanceRequest request, ManagedRedisPlan plan, Stage stage) {
        String cache = cache(request.instanceId());
        ArmResponse found = existing(plan, request);
        String state = found.property("provisioningState").orElse("");
        if (BUSY.contains(state)) {
            return new ArmProgress<>(stage, Optional.empty()).outcome("cache " + cache + " is " + state);
        }
        if (!state.equals("Succeeded")) {
            throw new ProvisioningFailedException("cache " + cache + " is " + state + " ("
                    + found.property("resourceState").orElse("no resource state")
                    + "): Azure cannot use it; delete this service instance");
        }
        String databaseId = plan.cacheId(cache) + "/databases/" + DATABASE;
        Optional<ArmResponse> database = arm().find(databaseId, API_VERSION, "reading the database of cache " + cache);
        if (database.isEmpty()) {
            ObjectNode body = JSON.createObjectNode();
            body.set(
                    "properties",
                    databaseSettings(plan)
                            .put("clientProtocol", "Encrypted")
                            .put("port", PORT)
                            .put("clusteringPolicy", plan.clusteringPolicy()));
            ArmResponse created = whenNotBusy(
                    cache, () -> arm().put(databaseId, API_VERSION, body, "creating the database of cache " + cache));
            return new ArmProgress<>(stage, created.operation())
                    .outcome("Azure is creating the database of cache " + cache);
        }
        String databaseState = database.get().property("provisioningState").orElse("");
        if (BUSY.contains(databaseState)) {
            return new ArmProgress<>(stage, Optional.empty())
                    .outcome("the database of cache " + cache + " is " + databaseState);
        }
        if (!matches(database.get().body().path("properties"), databaseSettings(plan))) {
            ObjectNode body = JSON.createObjectNode();
            body.set("properties", databaseSettings(plan));
            ArmResponse changed = whenNotBusy(
                    cache, () -> arm().patch(databaseId, API_VERSION, body, "changing the database of cache " + cache));
            return new ArmProgress<>(stage, changed.operation())
                    .outcome("Azure is changing the database of cache " + cache);
        }
        Optional<String> restoreFrom =
                Optional.ofNullable(found.body().path("tags").path(RESTORE_FROM).textValue());
        if (restoreFrom.isPresent()) {
            return restoreFrom(plan, found, restoreFrom.get(), stage);
        }
        return StepOutcome.Completed.with(Map.of(
                "cache", cache,
                "resource_id", plan.cacheId(cache),
                "host", host(found),
                "port",
                        String.valueOf(database.get()
                                .body()
                                .path("properties")
                                .path("port")
                                .asInt(PORT))));
    }

    /**
     * Imports the backup into the ready cache; once Azure has, takes the backup's tag off, which ends the restore. A
     * step run again imports again: nothing but the backup is in the new cache.
     */
    private StepOutcome restoreFrom(ManagedRedisPlan plan, ArmResponse found, String source, Stage stage) {
        String cache = found.body().path("name").asText();
        if (stage == Stage.IMPORT) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode tags = ((ObjectNode) found.body().path("tags")).deepCopy();
            tags.remove(RESTORE_FROM);
            body.set("tags", tags);
            ArmResponse changed = whenNotBusy(
                    cache, () -> arm().patch(plan.cacheId(cache), API_VERSION, body, "tagging cache " + cache));
            return new ArmProgress<>(Stage.CREATE, changed.operation())
                    .outcome("cache " + cache + " holds backup " + source);
        }
        ObjectNode body = JSON.createObjectNode();
        body.putArray("sasUris")
                .addAll(snapshots.importUrls(source).stream()
                        .map(TextNode::valueOf)
                        .toList());
        ArmResponse imported = whenNotBusy(
                cache,
                () -> arm().post(
                                plan.cacheId(cache) + "/databases/" + DATABASE,
                                "import",
                                API_VERSION,
                                body,
                                "importing backup " + source + " into cache " + cache));
        return new ArmProgress<>(Stage.IMPORT, imported.operation())
                .outcome("Azure is importing backup " + source + " into cache " + cache);
    }

    /**
     * A change of the cache, its database or its data, which Azure refuses (409) while another operation runs on the
     * cache, as when the pipeline sends a request again after its answer was lost and meets its own first one: the
     * step runs again later.
     */
    private static ArmResponse whenNotBusy(String cache, Supplier<ArmResponse> change) {
        try {
            return change.get();
        } catch (ArmRefusal e) {
            if (!e.is(409)) {
                throw e;
            }
            throw new BackingServiceUnavailableException(
                    "cache " + cache + " is busy with another operation: " + e.getMessage(), e);
        }
    }

    /** What a cache's database may change and must keep: the plan's settings, and access keys off. */
    private static ObjectNode databaseSettings(ManagedRedisPlan plan) {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("evictionPolicy", plan.evictionPolicy());
        ObjectNode persistence = settings.putObject("persistence");
        persistence.put("aofEnabled", plan.persistence().equals("aof"));
        persistence.put("rdbEnabled", plan.persistence().equals("rdb"));
        if (plan.persistence().equals("aof")) {
            persistence.put("aofFrequency", "1s");
        } else if (plan.persistence().equals("rdb")) {
            persistence.put("rdbFrequency", "1h");
        }
        // the keys would be one secret every binding shares, which no unbind could take back
        settings.put("accessKeysAuthentication", "Disabled");
        return settings;
    }

    /** Whether every setting {@code wanted} names has its value in {@code actual}. */
    private static boolean matches(JsonNode actual, JsonNode wanted) {
        for (Map.Entry<String, JsonNode> setting : wanted.properties()) {
            JsonNode value = actual.path(setting.getKey());
            boolean same = setting.getValue().isObject()
                    ? matches(value, setting.getValue())
                    : setting.getValue().asText().equalsIgnoreCase(value.asText());
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** The cache settings a create and an update both send. */
    private static ObjectNode cacheProperties(ManagedRedisPlan plan) {
        return JSON.createObjectNode()
                .put("highAvailability", plan.highAvailability() ? "Enabled" : "Disabled")
                .put("publicNetworkAccess", plan.publicNetworkAccess());
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        ManagedRedisPlanChecks.checkPlanChange(
                plan(request.previousPlan()), plan(request.instance().plan()));
        return change(request.instance());
    }

    /** Asks Azure to change the cache to the plan once it is not busy; the database follows (converge). */
    private StepOutcome change(InstanceRequest instance) {
        ManagedRedisPlan plan = plan(instance.plan());
        String cache = cache(instance.instanceId());
        String state = existing(plan, instance).property("provisioningState").orElse("");
        if (BUSY.contains(state)) {
            return new ArmProgress<>(Stage.UPDATE_WAITING, Optional.empty())
                    .outcome("cache " + cache + " is " + state + "; the update waits for it");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("tags", AzureResources.tags(instance, prefix));
        body.putObject("sku").put("name", plan.sku());
        body.set("properties", cacheProperties(plan));
        ArmResponse changed = whenNotBusy(
                cache, () -> arm().patch(plan.cacheId(cache), API_VERSION, body, "changing cache " + cache));
        return new ArmProgress<>(Stage.UPDATE, changed.operation()).outcome("Azure is changing cache " + cache);
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        return deleting(request, plan(request.plan()));
    }

    /** Moves a deletion on from what Azure reports: gone is done; deleting is waited for; otherwise it is deleted. */
    private StepOutcome deleting(InstanceRequest request, ManagedRedisPlan plan) {
        String cache = cache(request.instanceId());
        Optional<ArmResponse> found = find(plan, cache);
        if (found.isEmpty() || !AzureResources.ownedBy(found.get(), request.instanceId())) {
            // a cache of this name that is another's (a provision refused to adopt it) is never deleted
            return StepOutcome.Completed.with(Map.of());
        }
        if (found.get().property("provisioningState").orElse("").equals("Deleting")) {
            return new ArmProgress<>(Stage.DELETE, Optional.empty()).outcome("cache " + cache + " is being deleted");
        }
        // a cache busy with another operation is deleted by a later run of the step (whenNotBusy)
        ArmResponse deleted =
                whenNotBusy(cache, () -> arm().delete(plan.cacheId(cache), API_VERSION, "deleting cache " + cache));
        return new ArmProgress<>(Stage.DELETE, deleted.operation()).outcome("Azure is deleting cache " + cache);
    }

    // --- bindings: an access policy assignment each

    @Override
    public BindOutcome startBind(BindRequest request) {
        String objectId = objectId(request);
        ManagedRedisPlan plan = plan(request.instance().plan());
        String cache = cache(request.instance().instanceId());
        String id = assignmentId(plan, cache, request.bindingId());
        Optional<ArmResponse> existing = arm().find(id, API_VERSION, "reading the binding's access of cache " + cache);
        if (existing.isPresent() && objectId.equalsIgnoreCase(assignee(existing.get()))) {
            // a first run of the step asked for it
            return assigned(request, plan, existing.get(), Optional.empty());
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode properties = body.putObject("properties");
        properties.put("accessPolicyName", "default");
        properties.putObject("user").put("objectId", objectId);
        try {
            ArmResponse put = arm().put(id, API_VERSION, body, "letting " + objectId + " into cache " + cache);
            return assigned(request, plan, put, put.operation());
        } catch (ArmRefusal e) {
            if (!e.is(409)) {
                throw e;
            }
            // the cache is busy with another operation (another binding's, an update): asked again at the next poll
            return new ArmProgress<>(Stage.BIND, Optional.empty())
                    .outcome("cache " + cache + " is busy; the binding waits for it");
        }
    }

    @Override
    public BindOutcome pollBind(BindRequest request, String reference) {
        ManagedRedisPlan plan = plan(request.instance().plan());
        String cache = cache(request.instance().instanceId());
        ArmProgress<Stage> progress = ArmProgress.of(Stage.class, reference);
        if (progress.operation().isPresent() && !finished(progress.operation().get(), cache, Stage.BIND)) {
            return progress.outcome("Azure is letting the binding's identity into cache " + cache);
        }
        String id = assignmentId(plan, cache, request.bindingId());
        Optional<ArmResponse> assignment =
                arm().find(id, API_VERSION, "reading the binding's access of cache " + cache);
        if (assignment.isEmpty()) {
            return startBind(request); // not asked for yet: the cache was busy
        }
        return assigned(request, plan, assignment.get(), Optional.empty());
    }

    /** The binding's credentials once its assignment holds; the assignment's progress until then. */
    private BindOutcome assigned(
            BindRequest request,
            ManagedRedisPlan plan,
            ArmResponse assignment,
            Optional<LongRunningOperation> running) {
        String cache = cache(request.instance().instanceId());
        String state = assignment.property("provisioningState").orElse("");
        if (running.isPresent() || BUSY.contains(state)) {
            return new ArmProgress<>(Stage.BIND, running)
                    .outcome("Azure is letting the binding's identity into cache " + cache);
        }
        if (!state.equals("Succeeded")) {
            throw new ProvisioningFailedException(
                    "Azure could not let the binding's identity into cache " + cache + " (" + state + ")");
        }
        ArmResponse found = existing(plan, request.instance());
        return new BindOutcome.Bound(new RedisEntraIdCredentials(
                        host(found), PORT, objectId(request), clients.cloud().databaseTls())
                .toCredentials());
    }

    @Override
    public StepOutcome startUnbind(BindRequest request) {
        ManagedRedisPlan plan = plan(request.instance().plan());
        String cache = cache(request.instance().instanceId());
        if (find(plan, cache).isEmpty()) {
            return StepOutcome.Completed.with(Map.of()); // the cache took its assignments with it
        }
        String id = assignmentId(plan, cache, request.bindingId());
        try {
            ArmResponse deleted = arm().delete(id, API_VERSION, "removing the binding's access of cache " + cache);
            if (deleted.operation().isEmpty()) {
                return StepOutcome.Completed.with(Map.of());
            }
            return new ArmProgress<>(Stage.UNBIND, deleted.operation())
                    .outcome("Azure is removing the binding's access of cache " + cache);
        } catch (ArmRefusal e) {
            if (!e.is(409)) {
                throw e;
            }
            return new ArmProgress<>(Stage.UNBIND, Optional.empty())
                    .outcome("cache " + cache + " is busy; the unbind waits for it");
        }
    }

    @Override
    public StepOutcome pollUnbind(BindRequest request, String reference) {
        ManagedRedisPlan plan = plan(request.instance().plan());
        String cache = cache(request.instance().instanceId());
        ArmProgress<Stage> progress = ArmProgress.of(Stage.class, reference);
        if (progress.operation().isPresent() && !finished(progress.operation().get(), cache, Stage.UNBIND)) {
            return progress.outcome("Azure is removing the binding's access of cache " + cache);
        }
        String id = assignmentId(plan, cache, request.bindingId());
        if (arm().find(id, API_VERSION, "reading the binding's access of cache " + cache)
                .isPresent()) {
            return startUnbind(request); // not asked for yet: the cache was busy
        }
        return StepOutcome.Completed.with(Map.of());
    }

    /** Never called: the broker binds through {@link #startBind}. */
    @Override
    public Credentials bind(BindRequest request) {
        throw new UnsupportedOperationException("access policy assignments are made asynchronously: see startBind");
    }

    /** Never called: the broker unbinds through {@link #startUnbind}. */
    @Override
    public void unbind(BindRequest request) {
        throw new UnsupportedOperationException(
                "access policy assignments are removed asynchronously: see startUnbind");
    }

    /** The identity a bind lets in: a GUID, as Entra ID's object ids are; no read-only access, which Azure lacks. */
    private static String objectId(BindRequest request) {
        if (request.readOnly()) {
            throw new InvalidParametersException("Azure Managed Redis has only its default access policy (every"
                    + " command on every key): read-only bindings are not offered on this plan");
        }
        Object objectId = request.parameters().get(OBJECT_ID);
        if (!(objectId instanceof String text) || !GUID.matcher(text).matches()) {
            throw new InvalidParametersException("bind parameter '" + OBJECT_ID + "' must be the object id (a GUID)"
                    + " of the application's Microsoft Entra ID identity, its managed identity or service principal:"
                    + " Azure Managed Redis lets that identity in, and the application logs in with its tokens");
        }
        return text.toLowerCase();
    }

    private static String assignee(ArmResponse assignment) {
        return assignment
                .body()
                .path("properties")
                .path("user")
                .path("objectId")
                .asText("");
    }

    private static String assignmentId(ManagedRedisPlan plan, String cache, String bindingId) {
        return plan.cacheId(cache) + "/databases/" + DATABASE + "/accessPolicyAssignments/" + assignment(bindingId);
    }

    // --- reading caches

    private Optional<ArmResponse> find(ManagedRedisPlan plan, String cache) {
        return arm().find(plan.cacheId(cache), API_VERSION, "reading cache " + cache);
    }

    private ArmResponse existing(ManagedRedisPlan plan, InstanceRequest instance) {
        String cache = cache(instance.instanceId());
        return find(plan, cache)
                .orElseThrow(() -> new ProvisioningFailedException("cache " + cache
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
    }

    private static String host(ArmResponse cache) {
        return cache.property("hostName")
                .orElseThrow(() -> new ProvisioningFailedException("Azure reports no host name of cache "
                        + cache.body().path("name").asText()));
    }

    /** Whether Azure Resource Manager shows the broker each resource group the plans use. */
    @Override
    public Health health() {
        return resourceGroups.health(kind().key(), arm());
    }

    ArmClient arm() {
        return clients.arm();
    }

    static ManagedRedisPlan plan(Plan plan) {
        return PlanProperties.read(plan, ManagedRedisPlan.class);
    }

    /** What a step does in the background. */
    private enum Stage {
        CREATE("creating"),
        /** A create whose cache then imports a backup. */
        RESTORE("creating"),
        /** The import of a backup into a restored cache. */
        IMPORT("importing a backup into"),
        UPDATE("changing"),
        /** An update waiting for the cache to be ready before it asks for the change. */
        UPDATE_WAITING("changing"),
        DELETE("deleting"),
        BIND("letting a binding into"),
        UNBIND("removing a binding from");

        private final String doing;

        Stage(String doing) {
            this.doing = doing;
        }

        String doing() {
            return doing;
        }
    }
}
