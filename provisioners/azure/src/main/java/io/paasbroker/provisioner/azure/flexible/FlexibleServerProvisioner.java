package io.paasbroker.provisioner.azure.flexible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.PointInTimeRestore;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.AzurePasswords;
import io.paasbroker.provisioner.azure.AzureResources;
import io.paasbroker.provisioner.azure.ResourceGroups;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import io.paasbroker.provisioner.azure.arm.ArmProgress;
import io.paasbroker.provisioner.azure.arm.ArmResponse;
import io.paasbroker.provisioner.azure.arm.LongRunningOperation;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An Azure Database flexible server of each service instance's own ({@link #postgres}, {@link #mysql}). Provision
 * creates the server (named from the OSB id, tagged for cost attribution, its administrator password made and kept in the broker's
 * credential store first) and follows Azure's long-running operation; then it brings the server's parameters (TLS
 * required, the extension allow-list) and firewall rules to the plan, one request a poll, and as the administrator
 * sets up the same tenancy as on servers the operator runs: bindings are users of their own there, over verified
 * TLS. Updates change the compute size, storage and high availability where Azure can; deprovision deletes the
 * server.
 */
public final class FlexibleServerProvisioner implements ServiceProvisioner {

    public static final String NAME = "azure";

    /** The administrator Azure makes: no name Azure reserves ({@code azure_superuser}, {@code admin}, ...). */
    static final String ADMIN_LOGIN = "pbadmin";

    /** Server states in which Azure takes no change; a step waits them out. */
    private static final Set<String> BUSY = Set.of("Provisioning", "Updating", "Starting", "Stopping", "Dropping");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlexibleEngine engine;
    private final AzureClients clients;
    private final MasterPasswords admins;
    private final String prefix;
    private final ResourceGroups resourceGroups = new ResourceGroups();
    private final FlexibleBackups snapshots;

    private FlexibleServerProvisioner(
            FlexibleEngine engine, AzureClients clients, MasterPasswords admins, String prefix) {
        this.engine = engine;
        this.clients = clients;
        this.admins = admins;
        this.prefix = prefix;
        this.snapshots = new FlexibleBackups(this, engine);
    }

    /** PostgreSQL plans. */
    public static FlexibleServerProvisioner postgres(AzureClients clients, MasterPasswords admins, String prefix) {
        return new FlexibleServerProvisioner(new PostgresOnFlexibleServer(), clients, admins, prefix);
    }

    /** MySQL plans. */
    public static FlexibleServerProvisioner mysql(AzureClients clients, MasterPasswords admins, String prefix) {
        return new FlexibleServerProvisioner(new MysqlOnFlexibleServer(), clients, admins, prefix);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServiceKind kind() {
        return engine.kind();
    }

    @Override
    public boolean completesSynchronously() {
        return false;
    }

    @Override
    public void checkPlan(Plan plan) {
        FlexiblePlan properties = plan(plan);
        FlexiblePlanChecks.checkPlan(plan, properties, engine);
        resourceGroups.add(properties.subscriptionId(), properties.resourceGroup());
    }

    @Override
    public void checkParameters(Plan plan, Map<String, Object> parameters) {
        FlexibleParameters.of(parameters).check(plan, plan(plan));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        FlexiblePlanChecks.checkPlanChange(plan(from), plan(to));
    }

    /** The name of the instance's server. */
    public String server(String instanceId) {
        return AzureResources.name(prefix, instanceId);
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        FlexiblePlan plan = plan(request.plan());
        String server = server(request.instanceId());
        Optional<ArmResponse> existing = find(plan, request.instanceId());
        if (existing.isPresent()) {
            // a first run of the step made it, unless it is another's
            AzureResources.requireInstance(existing.get(), "server " + server, request.instanceId());
            return new ArmProgress<>(Stage.CREATE, Optional.empty()).outcome("Azure is creating server " + server);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("location", plan.location());
        body.set("tags", AzureResources.tags(request, prefix));
        body.set("sku", sku(plan));
        ObjectNode properties = body.putObject("properties");
        properties.put("createMode", engine.createMode());
        properties.put("version", plan.version());
        properties.put("administratorLogin", ADMIN_LOGIN);
        properties.put("administratorLoginPassword", admins.forNew(request.instanceId(), AzurePasswords::generate));
        properties.set("storage", storage(plan));
        properties.set(
                "backup",
                JSON.createObjectNode()
                        .put("backupRetentionDays", plan.backupRetentionDays())
                        .put("geoRedundantBackup", enabled(plan.geoRedundantBackup())));
        properties.set("highAvailability", highAvailability(plan));
        ObjectNode network = properties.putObject("network");
        if (plan.privateNetwork()) {
            network.put("delegatedSubnetResourceId", plan.delegatedSubnetId());
            network.put(engine.privateDnsZoneProperty(), plan.privateDnsZoneId());
            network.put("publicNetworkAccess", "Disabled");
        } else {
            network.put("publicNetworkAccess", "Enabled");
        }
        // a server busy with a first run's request makes the step run again (ArmClient); another's name is refused
        ArmResponse created = arm().put(id(plan, server), engine.apiVersion(), body, "creating server " + server);
        return new ArmProgress<>(Stage.CREATE, created.operation()).outcome("Azure is creating server " + server);
    }

    /**
     * The provision of an instance made from the data of the server {@code sourceServerId} (its resource id) as it
     * was at {@code time}: Azure restores the
     * source's backups and logs into a new server (a point-in-time restore), which has the source's administrator
     * password until the broker gives it the instance's own, and the source's tenancy until the broker makes it the
     * instance's.
     */
    StepOutcome restore(InstanceRequest request, String sourceServerId, Instant time) {
        FlexiblePlan plan = plan(request.plan());
        String server = server(request.instanceId());
        Optional<ArmResponse> existing = find(plan, request.instanceId());
        if (existing.isPresent()) {
            AzureResources.requireInstance(existing.get(), "server " + server, request.instanceId());
            return new ArmProgress<>(Stage.RESTORE, Optional.empty())
                    .outcome("Azure is restoring into server " + server);
        }
        admins.forNew(request.instanceId(), AzurePasswords::generate);
        ObjectNode body = JSON.createObjectNode();
        body.put("location", plan.location());
        body.set("tags", AzureResources.tags(request, prefix));
        ObjectNode properties = body.putObject("properties");
        properties.put("createMode", "PointInTimeRestore");
        properties.put("sourceServerResourceId", sourceServerId);
        properties.put(engine.restorePointProperty(), time.toString());
        String sourceServer = sourceServerId.substring(sourceServerId.lastIndexOf('/') + 1);
        String doing = "restoring server " + sourceServer + " as it was at " + time + " into server " + server;
        ArmResponse created = arm().put(id(plan, server), engine.apiVersion(), body, doing);
        return new ArmProgress<>(Stage.RESTORE, created.operation()).outcome("Azure is " + doing);
    }

    /** Azure keeps a server's backups and logs as long as its plan's backup retention. */
    @Override
    public Optional<PointInTimeRestore> pointInTimeRestore() {
        return Optional.of(new PointInTimeRestore() {
            @Override
            public Duration window(Plan plan) {
                return Duration.ofDays(plan(plan).backupRetentionDays());
            }

            @Override
            public StepOutcome restore(InstanceRequest into, InstanceRequest source, Instant time) {
                return FlexibleServerProvisioner.this.restore(
                        into, id(plan(source.plan()), server(source.instanceId())), time);
            }
        });
    }

    @Override
    public Optional<InstanceSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        ArmProgress<Stage> progress = ArmProgress.of(Stage.class, progressReference);
        FlexiblePlan plan = plan(request.plan());
        String server = server(request.instanceId());
        if (progress.operation().isPresent()) {
            String doing = progress.stage().doing() + " server " + server;
            LongRunningOperation.State state =
                    arm().operationState(progress.operation().get(), doing);
            switch (state.status()) {
                case RUNNING -> {
                    return progress.outcome("Azure is " + doing);
                }
                case FAILED ->
                    throw new ProvisioningFailedException(
                            "an operation of Azure's failed while " + doing + ": " + state.reason());
                case SUCCEEDED -> {}
            }
        }
        return switch (progress.stage()) {
            case DELETE -> deleting(request, plan);
            case UPDATE_WAITING -> change(request);
            default -> converge(request, plan, progress.stage());
        };
    }

    /**
     * Brings the ready server to the plan, one request a poll: its parameters, then its firewall rules; once all
     * hold, the tenancy inside it.
     */
    private StepOutcome converge(InstanceRequest request, FlexiblePlan plan, Stage stage) {
        String server = server(request.instanceId());
        ArmResponse found = existing(request);
        String state = found.property("state").orElse("");
        if (BUSY.contains(state)) {
            return new ArmProgress<>(stage, Optional.empty()).outcome("server " + server + " is " + state);
        }
        if (!state.equals("Ready")) {
            throw new ProvisioningFailedException("server " + server + " is " + state
                    + ": Azure cannot use it; start it (if stopped) or delete this service instance");
        }
        for (Map.Entry<String, String> configuration :
                engine.configurations(plan).entrySet()) {
            Optional<LongRunningOperation> change =
                    configure(plan, server, configuration.getKey(), configuration.getValue());
            if (change.isPresent()) {
                return new ArmProgress<>(stage, change)
                        .outcome("Azure is setting " + configuration.getKey() + " on server " + server);
            }
        }
        Optional<StepOutcome> firewall = firewallRules(plan, server, stage);
        if (firewall.isPresent()) {
            return firewall.get();
        }
        if (stage == Stage.RESTORE || stage == Stage.RESTORE_PASSWORD) {
            boolean accepted = asAdmin(request, found, FlexibleEngine.Tenancy::adminPasswordAccepted);
            if (!accepted && stage == Stage.RESTORE_PASSWORD) {
                throw new ProvisioningFailedException("server " + server + " refuses the broker's administrator login"
                        + " even after Azure set its password: check that its firewall rules let the broker in");
            }
            if (!accepted) {
                // a restored server has its source's administrator password: it gets the instance's own
                ObjectNode body = JSON.createObjectNode();
                body.putObject("properties").put("administratorLoginPassword", admins.of(request.instanceId()));
                ArmResponse changed = arm().patch(
                                id(plan, server),
                                engine.apiVersion(),
                                body,
                                "setting the administrator password of server " + server);
                return new ArmProgress<>(Stage.RESTORE_PASSWORD, changed.operation())
                        .outcome("Azure is setting the administrator password of server " + server);
            }
            asAdmin(request, found, tenancy -> {
                tenancy.adoptCopied(request);
                return null;
            });
        }
        Map<String, String> database = asAdmin(request, found, tenancy -> tenancy.setUp(request, plan));
        Map<String, String> outputs = new TreeMap<>(database);
        outputs.put("server", server);
        outputs.put("resource_id", id(plan, server));
        outputs.put("host", host(found));
        outputs.put("port", String.valueOf(engine.port()));
        return StepOutcome.Completed.with(outputs);
    }

    /** Sets the server parameter when it is not {@code value}: the operation doing it, when Azure does it later. */
    private Optional<LongRunningOperation> configure(FlexiblePlan plan, String server, String name, String value) {
        String id = id(plan, server) + "/configurations/" + name;
        String apiVersion = engine.apiVersion();
        ArmResponse current = arm().get(id, apiVersion, "reading parameter " + name + " of server " + server);
        if (current.property("value").filter(value::equalsIgnoreCase).isPresent()) {
            return Optional.empty();
        }
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("value", value).put("source", "user-override");
        ArmResponse changed = arm().put(id, apiVersion, body, "setting parameter " + name + " of server " + server);
        return changed.operation();
    }

    /** Adds the plan's firewall rules the server lacks and removes those the plan no longer has, one a poll. */
    private Optional<StepOutcome> firewallRules(FlexiblePlan plan, String server, Stage stage) {
        if (plan.privateNetwork()) {
            return Optional.empty();
        }
        String rules = id(plan, server) + "/firewallRules";
        String apiVersion = engine.apiVersion();
        Map<String, JsonNode> byName = new TreeMap<>();
        arm().list(rules, apiVersion, "reading the firewall rules of server " + server)
                .forEach(rule -> byName.put(rule.path("name").asText(), rule.path("properties")));
        for (FlexiblePlan.FirewallRule rule : plan.firewallRules()) {
            JsonNode current = byName.remove(rule.name());
            if (current != null
                    && rule.startIp().equals(current.path("startIpAddress").asText())
                    && rule.endIp().equals(current.path("endIpAddress").asText())) {
                continue;
            }
            ObjectNode body = JSON.createObjectNode();
            body.putObject("properties").put("startIpAddress", rule.startIp()).put("endIpAddress", rule.endIp());
            ArmResponse put = arm().put(
                            rules + "/" + rule.name(),
                            apiVersion,
                            body,
                            "setting firewall rule " + rule.name() + " of server " + server);
            if (put.operation().isPresent()) {
                return Optional.of(new ArmProgress<>(stage, put.operation())
                        .outcome("Azure is setting firewall rule " + rule.name() + " of server " + server));
            }
        }
        for (String stale : byName.keySet()) {
            ArmResponse deleted = arm().delete(
                            rules + "/" + stale,
                            apiVersion,
                            "removing firewall rule " + stale + " of server " + server);
            if (deleted.operation().isPresent()) {
                return Optional.of(new ArmProgress<>(stage, deleted.operation())
                        .outcome("Azure is removing firewall rule " + stale + " of server " + server));
            }
        }
        return Optional.empty();
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        FlexiblePlanChecks.checkPlanChange(
                plan(request.previousPlan()), plan(request.instance().plan()));
        return change(request.instance());
    }

    /** Asks Azure to change the server to the plan, once it is ready: Azure takes a change of a ready server only. */
    private StepOutcome change(InstanceRequest instance) {
        FlexiblePlan plan = plan(instance.plan());
        String server = server(instance.instanceId());
        String state = existing(instance).property("state").orElse("");
        if (BUSY.contains(state)) {
            return new ArmProgress<>(Stage.UPDATE_WAITING, Optional.empty())
                    .outcome("server " + server + " is " + state + "; the update waits for it");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("tags", AzureResources.tags(instance, prefix));
        body.set("sku", sku(plan));
        ObjectNode properties = body.putObject("properties");
        properties.set("storage", storage(plan));
        properties.set("backup", JSON.createObjectNode().put("backupRetentionDays", plan.backupRetentionDays()));
        properties.set("highAvailability", highAvailability(plan));
        ArmResponse changed = arm().patch(id(plan, server), engine.apiVersion(), body, "changing server " + server);
        return new ArmProgress<>(Stage.UPDATE, changed.operation()).outcome("Azure is changing server " + server);
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        return deleting(request, plan(request.plan()));
    }

    /** Moves a deletion on from what Azure reports: gone is done; busy is waited for; otherwise it is deleted. */
    private StepOutcome deleting(InstanceRequest request, FlexiblePlan plan) {
        String server = server(request.instanceId());
        Optional<ArmResponse> found = find(plan, request.instanceId());
        if (found.isEmpty()) {
            admins.forget(request.instanceId());
            return StepOutcome.Completed.with(Map.of());
        }
        if (!AzureResources.ownedBy(found.get(), request.instanceId())) {
            // a server of this name that is another's (a provision refused to adopt it) is never deleted
            admins.forget(request.instanceId());
            return StepOutcome.Completed.with(Map.of());
        }
        String state = found.get().property("state").orElse("");
        if (state.equals("Dropping")) {
            return new ArmProgress<>(Stage.DELETE, Optional.empty()).outcome("server " + server + " is being deleted");
        }
        // a server busy with another operation is deleted by a later run of the step
        ArmResponse deleted = arm().delete(id(plan, server), engine.apiVersion(), "deleting server " + server);
        return new ArmProgress<>(Stage.DELETE, deleted.operation()).outcome("Azure is deleting server " + server);
    }

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        return asAdmin(
                instance,
                existing(instance),
                tenancy -> tenancy.bind(instance, request.bindingId(), request.readOnly()));
    }

    /** Drops the binding's user; a server Azure no longer has took its users with it. */
    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        Optional<ArmResponse> found = find(plan(instance.plan()), instance.instanceId());
        if (found.isEmpty()) {
            return;
        }
        asAdmin(instance, found.get(), tenancy -> {
            tenancy.unbind(instance, request.bindingId());
            return null;
        });
    }

    private ArmResponse existing(InstanceRequest instance) {
        String server = server(instance.instanceId());
        return find(plan(instance.plan()), instance.instanceId())
                .orElseThrow(() -> new ProvisioningFailedException("server " + server
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
    }

    /** Runs {@code work} as the server's administrator, on a connection of its own for this step. */
    private <T> T asAdmin(InstanceRequest request, ArmResponse server, Function<FlexibleEngine.Tenancy, T> work) {
        return engine.asAdmin(
                new FlexibleEngine.Admin(
                        server(request.instanceId()),
                        host(server),
                        engine.port(),
                        ADMIN_LOGIN,
                        admins.of(request.instanceId()),
                        clients.cloud().databaseTls()),
                work);
    }

    private static String host(ArmResponse server) {
        return server.property("fullyQualifiedDomainName")
                .orElseThrow(() -> new ProvisioningFailedException("Azure reports no host name of server "
                        + server.body().path("name").asText()));
    }

    /** Whether Azure Resource Manager shows the broker each resource group the plans use. */
    @Override
    public Health health() {
        return resourceGroups.health(engine.kind().key(), arm());
    }

    /** The resource groups of the plans checked so far. */
    ResourceGroups resourceGroups() {
        return resourceGroups;
    }

    /** The name prefix, and {@code paasbroker:broker} tag, of this broker's servers. */
    String prefix() {
        return prefix;
    }

    FlexibleEngine engine() {
        return engine;
    }

    private Optional<ArmResponse> find(FlexiblePlan plan, String instanceId) {
        String server = server(instanceId);
        return arm().find(id(plan, server), engine.apiVersion(), "reading server " + server);
    }

    private static ObjectNode sku(FlexiblePlan plan) {
        return JSON.createObjectNode().put("name", plan.skuName()).put("tier", plan.skuTier());
    }

    private static ObjectNode storage(FlexiblePlan plan) {
        return JSON.createObjectNode()
                .put("storageSizeGB", plan.storageGb())
                .put("autoGrow", enabled(plan.storageAutoGrow()));
    }

    private static ObjectNode highAvailability(FlexiblePlan plan) {
        return JSON.createObjectNode().put("mode", plan.highAvailability());
    }

    private static String enabled(boolean enabled) {
        return enabled ? "Enabled" : "Disabled";
    }

    String id(FlexiblePlan plan, String server) {
        return AzureResources.id(plan.subscriptionId(), plan.resourceGroup(), engine.resourceType(), server);
    }

    ArmClient arm() {
        return clients.arm();
    }

    static FlexiblePlan plan(Plan plan) {
        return PlanProperties.read(plan, FlexiblePlan.class);
    }

    /** What a step does in the background. */
    private enum Stage {
        CREATE("creating"),
        RESTORE("restoring"),
        /** A restore whose server was given the instance's own administrator password. */
        RESTORE_PASSWORD("restoring"),
        UPDATE("changing"),
        /** An update waiting for the server to be ready before it asks for the change. */
        UPDATE_WAITING("changing"),
        DELETE("deleting");

        private final String doing;

        Stage(String doing) {
            this.doing = doing;
        }

        String doing() {
            return doing;
        }
    }
}
