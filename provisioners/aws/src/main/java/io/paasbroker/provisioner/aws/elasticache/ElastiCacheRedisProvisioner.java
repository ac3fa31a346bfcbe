package io.paasbroker.provisioner.aws.elasticache;

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
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.AwsHealth;
import io.paasbroker.provisioner.aws.AwsRegions;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidUserGroupStateException;
import software.amazon.awssdk.services.elasticache.model.ModifyReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.awssdk.services.elasticache.model.User;
import software.amazon.awssdk.services.elasticache.model.UserAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.UserGroup;
import software.amazon.awssdk.services.elasticache.model.UserGroupAlreadyExistsException;

/**
 * Redis (or Valkey) on an ElastiCache replication group of each service instance's own, with RBAC: TLS in transit
 * always, encryption at rest, automatic failover and Multi-AZ per plan, its eviction policy in a parameter group of
 * the broker's. Each instance has a user group whose only member at first is its {@code default} user, off; each
 * binding is an ElastiCache user of its own in that group (read-only where asked), deleted on unbind, so revoking one
 * application's access leaves the others' alone. Users and user groups change asynchronously in ElastiCache, so binds
 * and unbinds are operations the platform polls.
 *
 * <p>A binding's password is derived from the instance's secret (in the broker's credential store) and the binding's
 * id: a bind run again, or polled by another replica, knows it without the broker keeping it before the bind ends.
 */
public final class ElastiCacheRedisProvisioner implements ServiceProvisioner, AsyncBinder {

    public static final String NAME = "aws";

    /** Statuses in which ElastiCache deletes a group only without a final snapshot. */
    private static final Set<String> UNSNAPSHOTTABLE = Set.of("create-failed", "restore-failed");

    private final AwsClients clients;
    private final MasterPasswords secrets;
    private final String prefix;
    private final AwsRegions regions;
    private final CacheSnapshots snapshots;
    private final CacheUsers users;

    /**
     * @param prefix what every ElastiCache id the broker makes starts with, and its {@code paasbroker:broker} tag
     */
    public ElastiCacheRedisProvisioner(AwsClients clients, MasterPasswords secrets, String prefix) {
        this.clients = clients;
        this.secrets = secrets;
        this.prefix = prefix;
        this.regions = new AwsRegions(clients);
        this.snapshots = new CacheSnapshots(this);
        this.users = new CacheUsers(this, clients, secrets, prefix);
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
        CachePlan properties = plan(plan);
        CachePlanChecks.checkPlan(plan, properties, clients.hasAccount(properties.account()));
        regions.add(properties.account(), properties.region());
    }

    @Override
    public void checkParameters(Plan plan, Map<String, Object> parameters) {
        CacheParameters.of(parameters).check(plan, plan(plan));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        CachePlanChecks.checkPlanChange(plan(from), plan(to));
    }

    /** The id of the instance's replication group, and of its user group. */
    public String replicationGroupId(String instanceId) {
        return CacheNames.replicationGroup(prefix, instanceId);
    }

    // --- provision, restore, update, deprovision

    @Override
    public StepOutcome provision(InstanceRequest request) {
        return start(request, null);
    }

    /** The provision of an instance made from the snapshot {@code snapshot}: its data, the new instance's users. */
    StepOutcome restore(InstanceRequest request, String snapshot) {
        return start(request, snapshot);
    }

    /** Makes the instance's secret, default user and user group; the replication group once they are ready. */
    private StepOutcome start(InstanceRequest request, String snapshot) {
        CachePlan plan = plan(request.plan());
        String id = replicationGroupId(request.instanceId());
        secrets.forNew(request.instanceId());
        String defaultUser = CacheNames.defaultUser(prefix, request.instanceId());
        AwsCalls.ignoring(
                UserAlreadyExistsException.class,
                "creating the default user of ElastiCache user group " + id,
                () -> cache(plan)
                        .createUser(b -> b.userId(defaultUser)
                                .userName("default")
                                .engine(plan.engine())
                                .accessString(CacheAccess.DEFAULT_USER)
                                .passwords(users.password(request.instanceId(), "default"))
                                .tags(tags(request))));
        AwsCalls.ignoring(
                UserGroupAlreadyExistsException.class,
                "creating ElastiCache user group " + id,
                () -> cache(plan)
                        .createUserGroup(b -> b.userGroupId(id)
                                .engine(plan.engine())
                                .userIds(defaultUser)
                                .tags(tags(request))));
        return new StepOutcome.InProgress(
                Progress.USERS.reference(snapshot), "ElastiCache is making the user group " + id);
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        Progress progress = Progress.of(progressReference);
        CachePlan plan = plan(request.plan());
        String id = replicationGroupId(request.instanceId());
        if (progress == Progress.DELETE) {
            return deleting(request, plan);
        }
        if (progress == Progress.USERS) {
            UserGroup userGroup = users.userGroup(plan, id)
                    .orElseThrow(() -> new ProvisioningFailedException("ElastiCache user group " + id
                            + " no longer exists: it was deleted outside the broker; delete this service instance"));
            if (!userGroup.status().equals("active")) {
                return new StepOutcome.InProgress(
                        progressReference, "ElastiCache user group " + id + " is " + userGroup.status());
            }
            return createGroup(request, plan, Progress.snapshotOf(progressReference));
        }
        ReplicationGroup group = describe(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("ElastiCache replication group " + id
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        String status = group.status();
        return switch (CacheStatus.of(status)) {
            case BROKEN ->
                throw new ProvisioningFailedException(
                        "ElastiCache replication group " + id + " is " + status + ": " + CacheStatus.remedy(status));
            case WORKING ->
                new StepOutcome.InProgress(progressReference, "ElastiCache replication group " + id + " is " + status);
            case READY ->
                progress == Progress.REPLICAS
                        ? replicasAndFailover(request, plan, group)
                        : StepOutcome.Completed.with(outputs(group));
        };
    }

    private StepOutcome createGroup(InstanceRequest request, CachePlan plan, String snapshot) {
        String id = replicationGroupId(request.instanceId());
        CacheParameters parameters = CacheParameters.of(request.parameters());
        CreateReplicationGroupRequest create = CreateReplicationGroupRequest.builder()
                .replicationGroupId(id)
                .replicationGroupDescription("paasbroker instance " + ResourceTags.value(request.instanceId()))
                .engine(plan.engine())
                .engineVersion(plan.engineVersion())
                .cacheNodeType(plan.nodeType())
                .numCacheClusters(1 + plan.replicas())
                .automaticFailoverEnabled(plan.highAvailability())
                .multiAZEnabled(plan.highAvailability())
                .transitEncryptionEnabled(true)
                .atRestEncryptionEnabled(plan.atRestEncryption())
                .kmsKeyId(plan.kmsKeyId())
                .userGroupIds(id)
                .cacheSubnetGroupName(plan.subnetGroup())
                .securityGroupIds(plan.securityGroupIds().isEmpty() ? null : plan.securityGroupIds())
                .cacheParameterGroupName(parameterGroup(plan, parameters))
                .snapshotRetentionLimit(plan.snapshotRetentionDays())
                .snapshotWindow(parameters.snapshotWindow().orElse(plan.snapshotWindow()))
                .preferredMaintenanceWindow(parameters.maintenanceWindow().orElse(plan.maintenanceWindow()))
                .autoMinorVersionUpgrade(true)
                .snapshotName(snapshot)
                .tags(tags(request))
                .build();
        try {
            AwsCalls.call(
                    "creating ElastiCache replication group " + id,
                    () -> cache(plan).createReplicationGroup(create));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof ReplicationGroupAlreadyExistsException)) {
                throw e;
            }
            adopt(plan, id, request.instanceId());
        }
        return new StepOutcome.InProgress(
                Progress.CREATE.reference(null),
                snapshot == null
                        ? "ElastiCache is creating replication group " + id
                        : "ElastiCache is restoring snapshot " + snapshot + " into replication group " + id);
    }

    /** A group of this id exists: a first run of the step made it, unless it is another instance's. */
    private void adopt(CachePlan plan, String id, String instanceId) {
        ReplicationGroup existing = describe(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("ElastiCache replication group " + id
                        + " exists and is gone at once: it is being deleted; try again when it is gone"));
        List<Tag> tags = AwsCalls.call(
                        "reading the tags of ElastiCache replication group " + id,
                        () -> cache(plan).listTagsForResource(b -> b.resourceName(existing.arn())))
                .tagList();
        ResourceTags.requireInstance("ElastiCache replication group " + id, tags, Tag::key, Tag::value, instanceId);
    }

    private static Map<String, String> outputs(ReplicationGroup group) {
        NodeGroup nodes = group.nodeGroups().get(0);
        Map<String, String> outputs = new TreeMap<>();
        outputs.put("replication_group", group.replicationGroupId());
        outputs.put("arn", group.arn());
        outputs.put("host", nodes.primaryEndpoint().address());
        outputs.put("port", String.valueOf(nodes.primaryEndpoint().port()));
        if (nodes.readerEndpoint() != null) {
            outputs.put("reader_host", nodes.readerEndpoint().address());
        }
        return outputs;
    }

    /**
     * Changes what differs between the plans and parameters, at once: node type, minor version, eviction policy,
     * failover and Multi-AZ, snapshot retention and windows; then, once ElastiCache is done, the number of replicas
     * and failover where it needs them ({@link #replicasAndFailover}). A busy group is waited for.
     */
    @Override
    public StepOutcome update(UpdateRequest request) {
        InstanceRequest instance = request.instance();
        CachePlan plan = plan(instance.plan());
        CachePlan previous = plan(request.previousPlan());
        CachePlanChecks.checkPlanChange(previous, plan);
        CacheParameters parameters = CacheParameters.of(instance.parameters());
        CacheParameters previousParameters = CacheParameters.of(request.previousParameters());
        String id = replicationGroupId(instance.instanceId());
        ReplicationGroup current = describe(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("ElastiCache replication group " + id
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        switch (CacheStatus.of(current.status())) {
            case WORKING ->
                throw new BackingServiceUnavailableException(
                        "ElastiCache replication group " + id + " is " + current.status() + "; the update waits for it",
                        null);
            case BROKEN ->
                throw new ProvisioningFailedException("ElastiCache replication group " + id + " is " + current.status()
                        + ": " + CacheStatus.remedy(current.status()));
            case READY -> {}
        }
        ModifyReplicationGroupRequest.Builder modification =
                ModifyReplicationGroupRequest.builder().replicationGroupId(id).applyImmediately(true);
        boolean changes = false;
        if (!plan.nodeType().equals(current.cacheNodeType())) {
            modification.cacheNodeType(plan.nodeType());
            changes = true;
        }
        if (!plan.engineVersion().equals(previous.engineVersion())) {
            modification.engineVersion(plan.engineVersion());
            changes = true;
        }
        if (!parameters.policy(plan).equals(previousParameters.policy(previous))) {
            modification.cacheParameterGroupName(parameterGroup(plan, parameters));
            changes = true;
        }
        // failover needs a replica: where the plan adds both, the replicas come first (see #replicasAndFailover)
        boolean failoverLater = plan.highAvailability() && replicas(current) == 0;
        if (plan.highAvailability() != "enabled".equals(current.automaticFailoverAsString()) && !failoverLater) {
            modification.automaticFailoverEnabled(plan.highAvailability()).multiAZEnabled(plan.highAvailability());
            changes = true;
        }
        if (!Objects.equals(plan.snapshotRetentionDays(), current.snapshotRetentionLimit())) {
            modification.snapshotRetentionLimit(plan.snapshotRetentionDays());
            changes = true;
        }
        Optional<String> snapshotWindow =
                parameters.snapshotWindow().or(() -> Optional.ofNullable(plan.snapshotWindow()));
        if (snapshotWindow.isPresent() && !snapshotWindow.get().equals(current.snapshotWindow())) {
            modification.snapshotWindow(snapshotWindow.get());
            changes = true;
        }
        Optional<String> maintenance =
                parameters.maintenanceWindow().or(() -> Optional.ofNullable(plan.maintenanceWindow()));
        Optional<String> previousMaintenance =
                previousParameters.maintenanceWindow().or(() -> Optional.ofNullable(previous.maintenanceWindow()));
        if (maintenance.isPresent() && !maintenance.equals(previousMaintenance)) {
            modification.preferredMaintenanceWindow(maintenance.get());
            changes = true;
        }
        if (changes) {
            CacheCalls.whenAvailable(
                    "modifying ElastiCache replication group " + id,
                    () -> cache(plan).modifyReplicationGroup(modification.build()));
        }
        AwsCalls.call(
                "tagging ElastiCache replication group " + id,
                () -> cache(plan)
                        .addTagsToResource(b -> b.resourceName(current.arn()).tags(tags(instance))));
        if (changes) {
            return new StepOutcome.InProgress(
                    Progress.REPLICAS.reference(null), "ElastiCache is modifying replication group " + id);
        }
        return replicasAndFailover(instance, plan, current);
    }

    /**
     * The rest of an update once the group's modification is over: the plan's number of replicas (ElastiCache adds
     * and removes them one change at a time), then automatic failover and Multi-AZ where the plan turns them on, which
     * need a replica first.
     */
    private StepOutcome replicasAndFailover(InstanceRequest instance, CachePlan plan, ReplicationGroup current) {
        String id = current.replicationGroupId();
        int replicas = replicas(current);
        if (replicas != plan.replicas()) {
            boolean more = plan.replicas() > replicas;
            CacheCalls.whenAvailable(
                    (more ? "adding replicas to" : "removing replicas from") + " ElastiCache replication group " + id,
                    () -> more
                            ? cache(plan)
                                    .increaseReplicaCount(b -> b.replicationGroupId(id)
                                            .newReplicaCount(plan.replicas())
                                            .applyImmediately(true))
                            : cache(plan)
                                    .decreaseReplicaCount(b -> b.replicationGroupId(id)
                                            .newReplicaCount(plan.replicas())
                                            .applyImmediately(true)));
            return new StepOutcome.InProgress(
                    Progress.REPLICAS.reference(null),
                    "ElastiCache is changing the replicas of replication group " + id + " from " + replicas + " to "
                            + plan.replicas());
        }
        if (plan.highAvailability() != "enabled".equals(current.automaticFailoverAsString())) {
            CacheCalls.whenAvailable(
                    "modifying ElastiCache replication group " + id,
                    () -> cache(plan)
                            .modifyReplicationGroup(b -> b.replicationGroupId(id)
                                    .automaticFailoverEnabled(plan.highAvailability())
                                    .multiAZEnabled(plan.highAvailability())
                                    .applyImmediately(true)));
            return new StepOutcome.InProgress(
                    Progress.REPLICAS.reference(null),
                    "ElastiCache is turning automatic failover of replication group " + id
                            + (plan.highAvailability() ? " on" : " off"));
        }
        return StepOutcome.Completed.with(outputs(current));
    }

    /** The group's read replicas: its nodes but the primary. */
    private static int replicas(ReplicationGroup group) {
        return Math.max(0, group.memberClusters().size() - 1);
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        return deleting(request, plan(request.plan()));
    }

    /**
     * Moves a deletion on from what ElastiCache reports: the replication group first (a final snapshot kept unless
     * the plan or the user says not to), then, once it is gone, its user group, then its default user and the
     * instance's secret. A busy group is waited for; what is gone already is done.
     */
    private StepOutcome deleting(InstanceRequest request, CachePlan plan) {
        String id = replicationGroupId(request.instanceId());
        Optional<ReplicationGroup> group = describe(plan, id);
        if (group.isPresent()) {
            String status = group.get().status();
            if (!status.equals("deleting") && CacheStatus.of(status) != CacheStatus.WORKING) {
                boolean skipFinalSnapshot = plan.skipFinalSnapshot()
                        || CacheParameters.of(request.parameters()).skipFinalSnapshot()
                        || UNSNAPSHOTTABLE.contains(status);
                AwsCalls.ignoring(
                        InvalidReplicationGroupStateException.class,
                        "deleting ElastiCache replication group " + id,
                        () -> cache(plan)
                                .deleteReplicationGroup(b -> b.replicationGroupId(id)
                                        .finalSnapshotIdentifier(
                                                skipFinalSnapshot
                                                        ? null
                                                        : CacheNames.finalSnapshot(prefix, request.instanceId()))));
            }
            return new StepOutcome.InProgress(
                    Progress.DELETE.reference(null), "ElastiCache replication group " + id + " is " + status);
        }
        Optional<UserGroup> userGroup = users.userGroup(plan, id);
        if (userGroup.isPresent()) {
            if (!userGroup.get().status().equals("deleting")) {
                AwsCalls.ignoring(
                        InvalidUserGroupStateException.class,
                        "deleting ElastiCache user group " + id,
                        () -> cache(plan).deleteUserGroup(b -> b.userGroupId(id)));
            }
            return new StepOutcome.InProgress(
                    Progress.DELETE.reference(null), "ElastiCache is deleting user group " + id);
        }
        // users outlive their group in ElastiCache: the default user, and bindings' never unbound or left by a bind
        List<User> left = users.usersOf(plan, request.instanceId());
        if (!left.isEmpty()) {
            left.stream()
                    .filter(user -> !user.status().equals("deleting"))
                    .forEach(user -> users.deleteUser(plan, user.userId()));
            return new StepOutcome.InProgress(
                    Progress.DELETE.reference(null), "ElastiCache is deleting the users of " + id);
        }
        secrets.forget(request.instanceId());
        return StepOutcome.Completed.with(Map.of());
    }

    // --- bind and unbind: see CacheUsers

    @Override
    public BindOutcome startBind(BindRequest request) {
        return users.startBind(request);
    }

    @Override
    public BindOutcome pollBind(BindRequest request, String reference) {
        return users.pollBind(request, reference);
    }

    @Override
    public StepOutcome startUnbind(BindRequest request) {
        return users.startUnbind(request);
    }

    @Override
    public StepOutcome pollUnbind(BindRequest request, String reference) {
        return users.pollUnbind(request, reference);
    }

    /** Never called: the broker binds through {@link #startBind}, as ElastiCache makes users asynchronously. */
    @Override
    public Credentials bind(BindRequest request) {
        throw new UnsupportedOperationException("ElastiCache users are made asynchronously: see startBind");
    }

    /** Never called: the broker unbinds through {@link #startUnbind}. */
    @Override
    public void unbind(BindRequest request) {
        throw new UnsupportedOperationException("ElastiCache users are deleted asynchronously: see startUnbind");
    }

    // --- snapshots, health

    @Override
    public Optional<InstanceSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    Set<AwsRegions.AccountRegion> regions() {
        return regions.all();
    }

    ElastiCacheClient cache(AwsRegions.AccountRegion where) {
        return clients.elastiCache(where.account(), where.region());
    }

    /** Whether ElastiCache answers in each configured account's region. */
    @Override
    public Health health() {
        return AwsHealth.of(
                "elasticache",
                clients,
                account -> AwsCalls.call(
                        "asking ElastiCache for replication groups",
                        () -> clients.elastiCache(account.name(), account.region())
                                .describeReplicationGroups(b -> b.maxRecords(20))));
    }

    // --- helpers

    /** The broker's parameter group of the plan's family and the instance's eviction policy, made if missing. */
    private String parameterGroup(CachePlan plan, CacheParameters parameters) {
        String policy = parameters.policy(plan);
        String name = CacheNames.parameterGroup(prefix, plan.family(), policy);
        AwsCalls.ignoring(
                CacheParameterGroupAlreadyExistsException.class,
                "creating ElastiCache parameter group " + name,
                () -> cache(plan)
                        .createCacheParameterGroup(b -> b.cacheParameterGroupName(name)
                                .cacheParameterGroupFamily(plan.family())
                                .description("paasbroker: maxmemory-policy " + policy)
                                .tags(Tag.builder()
                                        .key(ResourceTags.BROKER)
                                        .value(prefix)
                                        .build())));
        AwsCalls.call(
                "setting ElastiCache parameter group " + name,
                () -> cache(plan)
                        .modifyCacheParameterGroup(b -> b.cacheParameterGroupName(name)
                                .parameterNameValues(
                                        p -> p.parameterName("maxmemory-policy").parameterValue(policy))));
        return name;
    }

    private Optional<ReplicationGroup> describe(CachePlan plan, String id) {
        return AwsCalls.find(
                "reading ElastiCache replication group " + id,
                () -> cache(plan).describeReplicationGroups(b -> b.replicationGroupId(id)),
                DescribeReplicationGroupsResponse::replicationGroups,
                ReplicationGroupNotFoundException.class);
    }

    List<Tag> tags(InstanceRequest request) {
        return ResourceTags.of(request, prefix).entrySet().stream()
                .map(tag ->
                        Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
    }

    ElastiCacheClient cache(CachePlan plan) {
        return clients.elastiCache(
                plan.account(), clients.account(plan.account()).region(plan.region()));
    }

    static CachePlan plan(Plan plan) {
        return PlanProperties.read(plan, CachePlan.class);
    }

    /**
     * What a step left in progress: the step's name, and for a restore waiting on its user group the snapshot it
     * restores ({@code users:<snapshot>}).
     */
    private enum Progress {
        USERS,
        CREATE,
        /** A modification, done when the group is available: what operations begun before REPLICAS existed read. */
        MODIFY,
        /** A modification whose end is followed by the plan's replicas and failover. */
        REPLICAS,
        DELETE;

        String reference(String snapshot) {
            return name().toLowerCase() + (snapshot == null ? "" : ":" + snapshot);
        }

        static Progress of(String reference) {
            int colon = reference.indexOf(':');
            return valueOf((colon < 0 ? reference : reference.substring(0, colon)).toUpperCase());
        }

        static String snapshotOf(String reference) {
            int colon = reference.indexOf(':');
            return colon < 0 ? null : reference.substring(colon + 1);
        }
    }
}
