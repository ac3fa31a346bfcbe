package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.PointInTimeRestore;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.AwsHealth;
import io.paasbroker.provisioner.aws.AwsRegions;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A database on an RDS instance of each service instance's own: PostgreSQL ({@link #postgres}), MySQL or MariaDB
 * ({@link #mysql}). Provision creates the instance (named from the OSB id, tagged for cost attribution, its master
 * password made and kept in the broker's credential store first) and polls it until RDS reports it ready; then, as the
 * instance's master (no superuser on RDS), it sets up the same tenancy as on servers the operator runs
 * ({@link RdsEngine.Tenancy}): bindings are users of their own there, over TLS verified against the account's RDS CA.
 * Updates modify the instance where RDS can without losing data; deprovision deletes it, keeping a final snapshot
 * unless the plan or the user says not to.
 */
public final class RdsProvisioner implements ServiceProvisioner {

    public static final String NAME = "aws";

    /** Statuses in which RDS deletes an instance only without a final snapshot. */
    private static final Set<String> UNSNAPSHOTTABLE = Set.of("failed", "incompatible-restore", "incompatible-network");

    private final RdsEngine engine;
    private final AwsClients clients;
    private final RdsMasters masters;
    private final String prefix;
    private final RdsPlanChecks checks;
    private final RdsSnapshots snapshots;
    private final RdsParameterGroups parameterGroups;
    private final AwsRegions regions;

    /**
     * @param prefix what every RDS identifier the broker makes starts with, and its {@code paasbroker:broker} tag:
     *     it tells this broker's instances from another's in one account
     */
    private RdsProvisioner(RdsEngine engine, AwsClients clients, MasterPasswords passwords, String prefix) {
        this.engine = engine;
        this.clients = clients;
        this.masters = new RdsMasters(passwords, clients);
        this.prefix = prefix;
        this.checks = new RdsPlanChecks(clients, engine);
        this.snapshots = new RdsSnapshots(this, engine.snapshotFormat());
        this.parameterGroups = new RdsParameterGroups(prefix, engine);
        this.regions = new AwsRegions(clients);
    }

    /** PostgreSQL plans. */
    public static RdsProvisioner postgres(AwsClients clients, MasterPasswords masters, String prefix) {
        return new RdsProvisioner(new PostgresOnRds(), clients, masters, prefix);
    }

    /** MySQL plans: RDS for MySQL, or RDS for MariaDB where the plan's {@code engine} says so. */
    public static RdsProvisioner mysql(AwsClients clients, MasterPasswords masters, String prefix) {
        return new RdsProvisioner(new MysqlOnRds(), clients, masters, prefix);
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
        RdsPlan properties = plan(plan);
        checks.checkPlan(plan, properties);
        regions.add(properties.account(), properties.region());
    }

    @Override
    public void checkParameters(Plan plan, Map<String, Object> parameters) {
        engine.checkParameters(plan, plan(plan), RdsParameters.of(parameters));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        checks.checkPlanChange(plan(from), plan(to));
    }

    /** The RDS identifier of the instance's database. */
    public String identifier(String instanceId) {
        return RdsNames.instance(prefix, instanceId);
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        RdsPlan plan = plan(request.plan());
        RdsParameters parameters = RdsParameters.of(request.parameters());
        String id = identifier(request.instanceId());
        String parameterGroup = parameterGroups.ensure(rds(plan), plan);
        CreateDbInstanceRequest.Builder create = CreateDbInstanceRequest.builder()
                .dbInstanceIdentifier(id)
                .engine(engine.engine(plan))
                .engineVersion(plan.engineVersion())
                .dbInstanceClass(plan.instanceClass())
                .allocatedStorage(plan.allocatedStorage())
                .maxAllocatedStorage(plan.maxAllocatedStorage())
                .storageType(plan.storageType())
                .multiAZ(plan.multiAz())
                .storageEncrypted(plan.storageEncrypted())
                .kmsKeyId(plan.kmsKeyId())
                .dbSubnetGroupName(plan.dbSubnetGroup())
                .vpcSecurityGroupIds(securityGroups(plan))
                .dbParameterGroupName(parameterGroup)
                .backupRetentionPeriod(plan.backupRetentionDays())
                .preferredBackupWindow(parameters.backupWindow().orElse(plan.backupWindow()))
                .preferredMaintenanceWindow(parameters.maintenanceWindow().orElse(plan.maintenanceWindow()))
                .deletionProtection(plan.deletionProtection())
                .publiclyAccessible(false)
                .copyTagsToSnapshot(true)
                .autoMinorVersionUpgrade(true)
                .masterUsername(RdsNames.MASTER_USERNAME)
                .tags(tags(request));
        masters.ask(create, plan, request.instanceId());
        try {
            AwsCalls.call("creating RDS instance " + id, () -> rds(plan).createDBInstance(create.build()));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof DbInstanceAlreadyExistsException)) {
                throw e;
            }
            adopt(plan, id, request.instanceId());
        }
        return new StepOutcome.InProgress(Progress.CREATE.reference(), "RDS is creating instance " + id);
    }

    /**
     * The provision of an instance made from the snapshot {@code snapshot}: RDS restores it into a new instance, the
     * broker then gives the instance its own master password and makes the copied tenancy the new instance's.
     */
    StepOutcome restore(InstanceRequest request, String snapshot) {
        String id = identifier(request.instanceId());
        return restoring(
                request,
                "snapshot " + snapshot,
                (plan, parameterGroup) -> rds(plan)
                        .restoreDBInstanceFromDBSnapshot(b -> b.dbInstanceIdentifier(id)
                                .dbSnapshotIdentifier(snapshot)
                                .engine(engine.engine(plan))
                                .dbInstanceClass(plan.instanceClass())
                                .storageType(plan.storageType())
                                .multiAZ(plan.multiAz())
                                .dbSubnetGroupName(plan.dbSubnetGroup())
                                .vpcSecurityGroupIds(securityGroups(plan))
                                .dbParameterGroupName(parameterGroup)
                                .deletionProtection(plan.deletionProtection())
                                .publiclyAccessible(false)
                                .copyTagsToSnapshot(true)
                                .autoMinorVersionUpgrade(true)
                                .tags(tags(request))));
    }

    /**
     * The provision of an instance RDS makes from existing data ({@code what}: a snapshot, an instance's logs), asked
     * by {@code ask} with the plan and the broker's parameter group: the new instance's master password is made first,
     * and an instance of its identifier that exists already is adopted when it is this instance's.
     */
    private StepOutcome restoring(InstanceRequest request, String what, BiConsumer<RdsPlan, String> ask) {
        RdsPlan plan = plan(request.plan());
        String id = identifier(request.instanceId());
        masters.beforeRestore(plan, request.instanceId());
        String parameterGroup = parameterGroups.ensure(rds(plan), plan);
        try {
            AwsCalls.call("restoring " + what + " into RDS instance " + id, () -> {
                ask.accept(plan, parameterGroup);
                return null;
            });
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof DbInstanceAlreadyExistsException)) {
                throw e;
            }
            adopt(plan, id, request.instanceId());
        }
        return new StepOutcome.InProgress(
                Progress.RESTORE.reference(), "RDS is restoring " + what + " into instance " + id);
    }

    private static List<String> securityGroups(RdsPlan plan) {
        return plan.vpcSecurityGroupIds().isEmpty() ? null : plan.vpcSecurityGroupIds();
    }

    /** An instance of this identifier exists: a first run of the step made it, unless it is another's. */
    private void adopt(RdsPlan plan, String id, String instanceId) {
        DBInstance existing = describe(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("RDS instance " + id
                        + " exists and is gone at once: it is being deleted; try again when it is gone"));
        ResourceTags.requireInstance("RDS instance " + id, existing.tagList(), Tag::key, Tag::value, instanceId);
    }

    /**
     * The provision of an instance made from {@code source}'s data as it was at {@code time}: RDS replays the source's
     * logs into a new instance; the broker then gives it its own master password and makes the copied tenancy its own,
     * as after a snapshot's restore.
     */
    StepOutcome restoreToPointInTime(InstanceRequest request, InstanceRequest source, Instant time) {
        String id = identifier(request.instanceId());
        String sourceId = identifier(source.instanceId());
        return restoring(
                request,
                "RDS instance " + sourceId + " as it was at " + time,
                (plan, parameterGroup) -> rds(plan)
                        .restoreDBInstanceToPointInTime(b -> b.targetDBInstanceIdentifier(id)
                                .sourceDBInstanceIdentifier(sourceId)
                                .restoreTime(time)
                                .engine(engine.engine(plan))
                                .dbInstanceClass(plan.instanceClass())
                                .storageType(plan.storageType())
                                .multiAZ(plan.multiAz())
                                .dbSubnetGroupName(plan.dbSubnetGroup())
                                .vpcSecurityGroupIds(securityGroups(plan))
                                .dbParameterGroupName(parameterGroup)
                                .deletionProtection(plan.deletionProtection())
                                .publiclyAccessible(false)
                                .copyTagsToSnapshot(true)
                                .autoMinorVersionUpgrade(true)
                                .tags(tags(request))));
    }

    /** RDS keeps an instance's logs as long as its automated backups: the plan's backup retention. */
    @Override
    public Optional<PointInTimeRestore> pointInTimeRestore() {
        return Optional.of(new PointInTimeRestore() {
            @Override
            public Duration window(Plan plan) {
                return Duration.ofDays(plan(plan).backupRetentionDays());
            }

            @Override
            public StepOutcome restore(InstanceRequest into, InstanceRequest source, Instant time) {
                return restoreToPointInTime(into, source, time);
            }
        });
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        Progress progress = Progress.of(progressReference);
        RdsPlan plan = plan(request.plan());
        String id = identifier(request.instanceId());
        Optional<DBInstance> found = describe(plan, id);
        if (progress == Progress.DELETE) {
            return deleting(request, plan, found);
        }
        DBInstance instance = found.orElseThrow(() -> new ProvisioningFailedException("RDS instance " + id
                + " no longer exists: it was deleted outside the broker; delete this service instance"));
        String status = instance.dbInstanceStatus();
        switch (RdsStatus.of(status)) {
            case BROKEN ->
                throw new ProvisioningFailedException(
                        "RDS instance " + id + " is " + status + ": " + RdsStatus.remedy(status));
            case WORKING -> {
                return new StepOutcome.InProgress(progressReference, "RDS instance " + id + " is " + status);
            }
            case READY -> {
                if (pending(instance)) {
                    return new StepOutcome.InProgress(
                            progressReference, "RDS instance " + id + " is applying modifications");
                }
                if (parameterGroupStatus(instance, "applying")) {
                    return new StepOutcome.InProgress(
                            progressReference, "RDS instance " + id + " is applying its parameter group");
                }
                if (parameterGroupStatus(instance, "pending-reboot")) {
                    // the instance's (new) parameter group applies once it restarts: the update restarts it now
                    RdsCalls.whenAvailable(
                            "rebooting RDS instance " + id,
                            () -> rds(plan).rebootDBInstance(b -> b.dbInstanceIdentifier(id)));
                    return new StepOutcome.InProgress(
                            progressReference, "RDS instance " + id + " is rebooting to apply its parameter group");
                }
                if (RdsMasters.secretChanging(instance)) {
                    return new StepOutcome.InProgress(
                            progressReference,
                            "the master secret of RDS instance " + id + " is "
                                    + instance.masterUserSecret().secretStatus());
                }
                if (progress == Progress.RESTORE && plan.manageMasterUserPassword()) {
                    ModifyDbInstanceRequest.Builder managed = ModifyDbInstanceRequest.builder()
                            .dbInstanceIdentifier(id)
                            .applyImmediately(true);
                    if (masters.moveToPlan(managed, instance, plan, request.instanceId())) {
                        // a restored instance has the snapshot's master password: RDS makes it one of its own
                        RdsCalls.whenAvailable(
                                "having RDS manage the master password of RDS instance " + id,
                                () -> rds(plan).modifyDBInstance(managed.build()));
                        return new StepOutcome.InProgress(
                                progressReference,
                                "RDS is making instance " + id + " a master password in Secrets Manager");
                    }
                } else if (progress == Progress.RESTORE
                        && !asMaster(request, instance, RdsEngine.Tenancy::masterPasswordAccepted)) {
                    // a restored instance has the snapshot's master password: it gets its own
                    RdsCalls.whenAvailable(
                            "setting the master password of RDS instance " + id,
                            () -> rds(plan)
                                    .modifyDBInstance(b -> b.dbInstanceIdentifier(id)
                                            .masterUserPassword(masters.password(plan, request.instanceId(), instance))
                                            .applyImmediately(true)));
                    return new StepOutcome.InProgress(
                            progressReference, "RDS is setting the master password of instance " + id);
                }
                if (progress == Progress.RESTORE) {
                    asMaster(request, instance, tenancy -> {
                        tenancy.adoptCopied(request);
                        return null;
                    });
                }
                return StepOutcome.Completed.with(ready(request, plan, instance));
            }
        }
        throw new IllegalStateException("no such status class");
    }

    /** Sets up (or brings to the plan) the tenancy inside the ready instance; answers what the broker keeps of it. */
    private Map<String, String> ready(InstanceRequest request, RdsPlan plan, DBInstance instance) {
        Map<String, String> database = asMaster(request, instance, tenancy -> tenancy.setUp(request, plan));
        masters.settled(plan, request.instanceId());
        Map<String, String> outputs = new TreeMap<>(database);
        outputs.put("db_instance", instance.dbInstanceIdentifier());
        outputs.put("arn", instance.dbInstanceArn());
        outputs.put("host", instance.endpoint().address());
        outputs.put("port", String.valueOf(instance.endpoint().port()));
        return outputs;
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        InstanceRequest instance = request.instance();
        RdsPlan plan = plan(instance.plan());
        checks.checkPlanChange(plan(request.previousPlan()), plan);
        String id = identifier(instance.instanceId());
        DBInstance current = describe(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("RDS instance " + id
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        String status = current.dbInstanceStatus();
        if (RdsStatus.of(status) == RdsStatus.WORKING) {
            // RDS takes a modification of an available instance only: the broker runs the step again later
            throw new BackingServiceUnavailableException(
                    "RDS instance " + id + " is " + status + "; the update waits for it", null);
        }
        if (RdsStatus.of(status) == RdsStatus.BROKEN && !status.equals("storage-full")) {
            // a full instance takes more storage: that is how it is mended
            throw new ProvisioningFailedException(
                    "RDS instance " + id + " is " + status + ": " + RdsStatus.remedy(status));
        }
        ModifyDbInstanceRequest modification = RdsModification.between(
                current,
                plan,
                engine.majorVersionParts(),
                RdsParameters.of(instance.parameters()),
                parameterGroups.ensure(rds(plan), plan),
                change -> masters.moveToPlan(change, current, plan, instance.instanceId()));
        if (modification != null) {
            RdsCalls.whenAvailable(
                    "modifying RDS instance " + id, () -> rds(plan).modifyDBInstance(modification));
        }
        AwsCalls.call(
                "tagging RDS instance " + id,
                () -> rds(plan)
                        .addTagsToResource(
                                b -> b.resourceName(current.dbInstanceArn()).tags(tags(instance))));
        return modification == null
                ? poll(instance, Progress.MODIFY.reference())
                : new StepOutcome.InProgress(Progress.MODIFY.reference(), "RDS is modifying instance " + id);
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        RdsPlan plan = plan(request.plan());
        return deleting(request, plan, describe(plan, identifier(request.instanceId())));
    }

    /**
     * Moves a deletion on from what RDS reports: gone is done; deleting is waited for; protected from deletion is
     * unprotected first; busy (creating, modifying) is waited for, then deleted.
     */
    private StepOutcome deleting(InstanceRequest request, RdsPlan plan, Optional<DBInstance> found) {
        String id = identifier(request.instanceId());
        if (found.isEmpty()) {
            masters.forget(request.instanceId());
            return StepOutcome.Completed.with(Map.of());
        }
        DBInstance instance = found.get();
        String waiting = "RDS instance " + id + " is " + instance.dbInstanceStatus();
        if (instance.dbInstanceStatus().equals("deleting")) {
            return new StepOutcome.InProgress(Progress.DELETE.reference(), waiting);
        }
        if (RdsStatus.of(instance.dbInstanceStatus()) == RdsStatus.WORKING) {
            return new StepOutcome.InProgress(
                    Progress.DELETE.reference(), waiting + "; it is deleted once RDS is done");
        }
        try {
            if (Boolean.TRUE.equals(instance.deletionProtection())) {
                AwsCalls.call(
                        "lifting the deletion protection of RDS instance " + id,
                        () -> rds(plan)
                                .modifyDBInstance(b -> b.dbInstanceIdentifier(id)
                                        .deletionProtection(false)
                                        .applyImmediately(true)));
            }
            // RDS deletes an instance it could not make or restore only without a final snapshot
            boolean skipFinalSnapshot = plan.skipFinalSnapshot()
                    || RdsParameters.of(request.parameters()).skipFinalSnapshot()
                    || UNSNAPSHOTTABLE.contains(instance.dbInstanceStatus());
            AwsCalls.call(
                    "deleting RDS instance " + id,
                    () -> rds(plan).deleteDBInstance(b -> {
                        b.dbInstanceIdentifier(id).skipFinalSnapshot(skipFinalSnapshot);
                        if (!skipFinalSnapshot) {
                            b.finalDBSnapshotIdentifier(RdsNames.finalSnapshot(prefix, request.instanceId()));
                        }
                    }));
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof DbInstanceNotFoundException) {
                masters.forget(request.instanceId());
                return StepOutcome.Completed.with(Map.of());
            }
            if (!(e.getCause() instanceof InvalidDbInstanceStateException)) {
                throw e;
            }
            // another change got in first: wait for it
        }
        return new StepOutcome.InProgress(Progress.DELETE.reference(), "RDS is deleting instance " + id);
    }

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        RdsPlan plan = plan(instance.plan());
        String id = identifier(instance.instanceId());
        DBInstance rds = describe(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("RDS instance " + id
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        return asMaster(instance, rds, tenancy -> tenancy.bind(instance, request.bindingId(), request.readOnly()));
    }

    /** Drops the binding's user; an instance RDS no longer has took its users with it. */
    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        RdsPlan plan = plan(instance.plan());
        Optional<DBInstance> rds = describe(plan, identifier(instance.instanceId()));
        if (rds.isEmpty()) {
            return;
        }
        asMaster(instance, rds.get(), tenancy -> {
            tenancy.unbind(instance, request.bindingId());
            return null;
        });
    }

    /**
     * Runs {@code work} as the instance's master, on a connection pool of its own for this step: the instance's
     * endpoint is the one RDS reports ({@code instance}), or, while it reports none, the one the provision recorded;
     * the master password is where RDS says the instance keeps it.
     */
    private <T> T asMaster(InstanceRequest request, DBInstance instance, Function<RdsEngine.Tenancy, T> work) {
        RdsPlan plan = plan(request.plan());
        String id = identifier(request.instanceId());
        String host = instance.endpoint() != null
                ? instance.endpoint().address()
                : request.outputs().get("host");
        String port = instance.endpoint() != null
                ? String.valueOf(instance.endpoint().port())
                : request.outputs().get("port");
        if (host == null || port == null) {
            throw new ProvisioningFailedException(
                    "the broker has no endpoint of this instance's RDS instance: its provision did not complete");
        }
        return engine.asMaster(
                new RdsEngine.Master(
                        id,
                        host,
                        Integer.parseInt(port),
                        RdsNames.MASTER_USERNAME,
                        masters.password(plan, request.instanceId(), instance),
                        ServerTls.verifiedBy(clients.account(plan.account()).rdsCaCertificate())),
                work);
    }

    @Override
    public Optional<InstanceSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    /** Where snapshots may be: every configured account's region, and every account and region a plan uses. */
    Set<AwsRegions.AccountRegion> regions() {
        return regions.all();
    }

    RdsClient rds(AwsRegions.AccountRegion where) {
        return clients.rds(where.account(), where.region());
    }

    /** Whether RDS answers in each configured account's region. */
    @Override
    public Health health() {
        return AwsHealth.of(
                "rds",
                clients,
                account -> AwsCalls.call(
                        "asking RDS for instances",
                        () -> clients.rds(account.name(), account.region())
                                .describeDBInstances(b -> b.maxRecords(20))));
    }

    private Optional<DBInstance> describe(RdsPlan plan, String id) {
        return AwsCalls.find(
                "reading RDS instance " + id,
                () -> rds(plan).describeDBInstances(b -> b.dbInstanceIdentifier(id)),
                DescribeDbInstancesResponse::dbInstances,
                DbInstanceNotFoundException.class);
    }

    List<Tag> tags(InstanceRequest request) {
        return ResourceTags.of(request, prefix).entrySet().stream()
                .map(tag ->
                        Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
    }

    private static boolean parameterGroupStatus(DBInstance instance, String status) {
        return instance.dbParameterGroups().stream().anyMatch(group -> status.equals(group.parameterApplyStatus()));
    }

    private static boolean pending(DBInstance instance) {
        PendingModifiedValues pending = instance.pendingModifiedValues();
        return pending != null
                && !pending.equals(PendingModifiedValues.builder().build());
    }

    RdsClient rds(RdsPlan plan) {
        return clients.rds(plan.account(), clients.account(plan.account()).region(plan.region()));
    }

    static RdsPlan plan(Plan plan) {
        return PlanProperties.read(plan, RdsPlan.class);
    }

    /** What a step left in progress: its reference is the step's name. */
    private enum Progress {
        CREATE,
        RESTORE,
        MODIFY,
        DELETE;

        String reference() {
            return name().toLowerCase();
        }

        static Progress of(String reference) {
            return valueOf(reference.toUpperCase());
        }
    }
}
