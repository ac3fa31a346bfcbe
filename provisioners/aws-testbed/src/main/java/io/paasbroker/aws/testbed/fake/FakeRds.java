package io.paasbroker.aws.testbed.fake;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import io.paasbroker.testbed.FakeSecrets;
import io.paasbroker.testbed.ManagedDatabaseServer;
import io.paasbroker.testbed.RestoreOutsideWindowException;
import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.rds.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.CreateDbParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.CreateDbParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.CreateDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.CreateDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DBParameterGroupStatus;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.DeleteDbParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbParameterGroupsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbParameterGroupsResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.Endpoint;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.rds.model.MasterUserSecret;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.ModifyDbParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;
import software.amazon.awssdk.services.rds.model.RebootDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.RebootDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceToPointInTimeRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceToPointInTimeResponse;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A stateful fake of Amazon RDS's DB instances: created, described, tagged and deleted through the unmodified SDK
 * client, modified (class, storage, Multi-AZ, engine version, backup retention, windows, deletion protection, master
 * password), their status moving as RDS's does and as the SDK's published waiters expect ({@code creating}, then
 * {@code backing-up} when automated backups are kept, then {@code available}; {@code deleting}, then gone). Each step
 * lasts what the test bed says ({@link StatusTimings}). Behind each instance runs a real server of its engine
 * ({@link RdsEngine}: PostgreSQL, or MariaDB for MySQL and MariaDB), reported as the instance's endpoint once it is no
 * longer creating and stopped when the deletion ends. Snapshots (on request, and the final one a deletion names) keep the
 * server's data and restore it into a new instance. A deletion is refused while deletion protection is on. An instance
 * moved to another parameter group is {@code pending-reboot} until rebooted, as on RDS; a group of another engine's
 * family is refused. Errors are the model's: {@code DBInstanceAlreadyExists},
 * {@code DBInstanceNotFound}, {@code InvalidDBInstanceState}, {@code DBSnapshotAlreadyExists},
 * {@code DBSnapshotNotFound}, and {@code InvalidParameterCombination}, one of the errors common to every AWS API.
 */
public final class FakeRds extends QueryServiceFake {

    public static final String ACCOUNT = "123456789012";

    /**
     * An instance: its settings (those it was created with, as modifications changed them), when it was made, and
     * the status a change put it in until when (none: {@code busyStatus} null).
     */
    private record Instance(
            CreateDbInstanceRequest settings,
            Instant created,
            String arn,
            Instant deleteStarted,
            String busyStatus,
            Instant busyUntil) {

        Instance deleting(Instant at) {
            return new Instance(settings, created, arn, at, null, null);
        }

        Instance busy(CreateDbInstanceRequest changed, String status, Instant until) {
            return new Instance(changed, created, arn, deleteStarted, status, until);
        }
    }

    /** RDS's rule for master user names, which the fake's SQL relies on too. */
    private static final Pattern MASTER_USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private final String region;
    private final Path workDirectory;
    private final TestBedCertificates certificates;
    private final StatusTimings timings;
    private final Clock clock;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> tagsByArn = new ConcurrentHashMap<>();
    private final Map<String, ManagedDatabaseServer> servers = new ConcurrentHashMap<>();
    private final FakeSecretsManager secretsManager;
    /** A secret of Secrets Manager in which RDS keeps an instance's master password, and its KMS key. */
    private record MasterSecret(String arn, String kmsKeyId) {}

    /** The secret of each instance whose master password RDS manages, by the instance's identifier. */
    private final Map<String, MasterSecret> masterSecrets = new ConcurrentHashMap<>();

    /** A parameter group of a family: the values set in it, by parameter name. */
    private record ParameterGroup(
            String name, String family, String arn, String description, Map<String, String> values) {

        /** RDS's default group of the engine's family, which nobody can modify. */
        static ParameterGroup defaultOf(RdsEngine engine) {
            return new ParameterGroup(
                    "default." + engine.family(),
                    engine.family(),
                    "",
                    "Default parameter group for " + engine.family(),
                    Map.of());
        }

        boolean isDefault() {
            return arn.isEmpty();
        }
    }

    private final Map<String, ParameterGroup> parameterGroups = new ConcurrentHashMap<>();
    /** Instances moved to another parameter group and not rebooted since. */
    private final Set<String> pendingReboot = ConcurrentHashMap.newKeySet();

    /** How many times each identifier was created: a step that converges creates once. */
    private final Map<String, Integer> creations = new ConcurrentHashMap<>();
    /** Snapshots by identifier, each the data of its instance's server when it was taken. */
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    /** A snapshot: the settings of the instance it was taken of, and that instance's databases and roles as SQL. */
    private record Snapshot(
            String id, CreateDbInstanceRequest settings, String arn, String type, Path dump, Instant created) {}

    /**
     * @param workDirectory where the instances' database servers keep their data
     * @param certificates what the servers serve TLS with
     * @param keys whose signatures it accepts
     * @param secretsManager where it keeps the master passwords it manages ({@code ManageMasterUserPassword})
     */
    public FakeRds(
            String region,
            Path workDirectory,
            TestBedCertificates certificates,
            AccessKeys keys,
            FakeSecretsManager secretsManager,
            StatusTimings timings,
            Clock clock) {
        super(
                ServiceModel.load("rds", "2014-10-31"),
                FullModel.load("rds", "2014-10-31"),
                "http://rds.amazonaws.com/doc/2014-10-31/",
                keys,
                region);
        this.region = region;
        this.secretsManager = secretsManager;
        this.workDirectory = workDirectory.toAbsolutePath();
        this.certificates = certificates;
        this.timings = timings;
        this.clock = clock;
        on("CreateDBInstance", p -> create(QueryRequestReader.read(p, CreateDbInstanceRequest.builder())));
        on("DescribeDBInstances", p -> describe(QueryRequestReader.read(p, DescribeDbInstancesRequest.builder())));
        on("ModifyDBInstance", p -> modify(QueryRequestReader.read(p, ModifyDbInstanceRequest.builder())));
        on("DeleteDBInstance", p -> delete(QueryRequestReader.read(p, DeleteDbInstanceRequest.builder())));
        on("AddTagsToResource", p -> addTags(QueryRequestReader.read(p, AddTagsToResourceRequest.builder())));
        on("ListTagsForResource", p -> listTags(QueryRequestReader.read(p, ListTagsForResourceRequest.builder())));
        on("RebootDBInstance", p -> reboot(QueryRequestReader.read(p, RebootDbInstanceRequest.builder())));
        on(
                "CreateDBParameterGroup",
                p -> createParameterGroup(QueryRequestReader.read(p, CreateDbParameterGroupRequest.builder())));
        on(
                "ModifyDBParameterGroup",
                p -> modifyParameterGroup(QueryRequestReader.read(p, ModifyDbParameterGroupRequest.builder())));
        on(
                "DescribeDBParameterGroups",
                p -> describeParameterGroups(QueryRequestReader.read(p, DescribeDbParameterGroupsRequest.builder())));
        on(
                "DeleteDBParameterGroup",
                p -> deleteParameterGroup(QueryRequestReader.read(p, DeleteDbParameterGroupRequest.builder())));
        on(
                "DescribeDBParameters",
                p -> describeParameters(QueryRequestReader.read(p, DescribeDbParametersRequest.builder())));
        on("CreateDBSnapshot", p -> createSnapshot(QueryRequestReader.read(p, CreateDbSnapshotRequest.builder())));
        on("DeleteDBSnapshot", p -> deleteSnapshot(QueryRequestReader.read(p, DeleteDbSnapshotRequest.builder())));
        on(
                "RestoreDBInstanceFromDBSnapshot",
                p -> restore(QueryRequestReader.read(p, RestoreDbInstanceFromDbSnapshotRequest.builder())));
        on(
                "RestoreDBInstanceToPointInTime",
                p -> restoreToPointInTime(QueryRequestReader.read(p, RestoreDbInstanceToPointInTimeRequest.builder())));
        on(
                "DescribeDBSnapshots",
                p -> describeSnapshots(QueryRequestReader.read(p, DescribeDbSnapshotsRequest.builder())));
    }

    private synchronized CreateDbInstanceResponse create(CreateDbInstanceRequest request) {
        String id = request.dbInstanceIdentifier();
        if (present(id) != null) {
            throw new AwsFault("DBInstanceAlreadyExists", 400, "DB instance already exists");
        }
        RdsEngine engine = RdsEngine.named(request.engine())
                .orElseThrow(() -> new AwsFault(
                        "InvalidParameterValue", 400, "the test bed runs no " + request.engine() + " server"));
        if (!engine.serves(request.engineVersion())) {
            // RDS's answer to a version it does not offer; the test bed has one version's binaries per engine
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Cannot find version " + request.engineVersion() + " for " + request.engine()
                            + " (the test bed serves " + engine.version() + ")");
        }
        parameterGroupFor(request.dbParameterGroupName(), engine);
        boolean managed = Boolean.TRUE.equals(request.manageMasterUserPassword());
        if (managed == (request.masterUserPassword() != null)) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Specify either MasterUserPassword or ManageMasterUserPassword, not both and not neither.");
        }
        if (!managed && request.masterUserSecretKmsKeyId() != null) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "MasterUserSecretKmsKeyId applies only when ManageMasterUserPassword is set.");
        }
        if (request.masterUsername() == null
                || !MASTER_USERNAME.matcher(request.masterUsername()).matches()) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "MasterUsername must be 1 to 63 letters, digits and underscores, starting with a letter");
        }
        String password = managed ? FakeSecrets.generate() : request.masterUserPassword();
        Instance instance = launch(
                request,
                engine.start(
                        workDirectory.resolve(id),
                        certificates,
                        request.masterUsername(),
                        password,
                        request.dbName(),
                        requiresTls(request.dbParameterGroupName(), engine)));
        if (managed) {
            manageMasterPassword(instance, password, request.masterUserSecretKmsKeyId());
        }
        return CreateDbInstanceResponse.builder().dbInstance(view(instance)).build();
    }

    /**
     * Keeps the instance's master password in a secret of Secrets Manager, as RDS does for an instance that has it
     * manage the password; RDS makes the secret in the caller's name, so the caller needs Secrets Manager's permissions.
     */
    private void manageMasterPassword(Instance instance, String password, String kmsKeyId) {
        alsoNeeds("secretsmanager", "CreateSecret");
        alsoNeeds("secretsmanager", "RotateSecret");
        alsoNeeds("secretsmanager", "TagResource");
        String id = instance.settings().dbInstanceIdentifier();
        String kmsKey = kmsKeyId == null ? "alias/aws/secretsmanager" : kmsKeyId;
        masterSecrets.put(
                id,
                new MasterSecret(
                        secretsManager.createForRds(
                                instance.arn(), instance.settings().masterUsername(), password, kmsKey),
                        kmsKey));
    }

    /**
     * What RDS's scheduled rotation of a managed master password does: a new password on the server, then in the
     * secret as its current version.
     */
    public synchronized void rotateManagedMasterPassword(String identifier) {
        Instance instance = present(identifier);
        MasterSecret secret = masterSecrets.get(identifier);
        if (instance == null || secret == null) {
            throw new IllegalArgumentException("no DB instance " + identifier + " whose master password RDS manages");
        }
        String password = FakeSecrets.generate();
        servers.get(identifier).changeAdministratorPassword(instance.settings().masterUsername(), password);
        secretsManager.rotate(secret.arn(), instance.settings().masterUsername(), password);
    }

    /** A reboot: the instance is {@code rebooting} a while, then runs with its parameter group's values. */
    private synchronized RebootDbInstanceResponse reboot(RebootDbInstanceRequest request) {
        String id = request.dbInstanceIdentifier();
        Instance instance = present(id);
        if (instance == null) {
            throw notFound(id);
        }
        if (!status(instance).equals("available")) {
            throw new AwsFault(
                    "InvalidDBInstanceState", 400, "Instance " + id + " is not currently in the available state.");
        }
        servers.get(id).requireTls(requiresTls(instance.settings()));
        pendingReboot.remove(id);
        Instance rebooting =
                instance.busy(instance.settings(), "rebooting", clock.instant().plus(timings.modifying()));
        instances.put(id, rebooting);
        return RebootDbInstanceResponse.builder().dbInstance(view(rebooting)).build();
    }

    private synchronized CreateDbParameterGroupResponse createParameterGroup(CreateDbParameterGroupRequest request) {
        String name = request.dbParameterGroupName();
        if (parameterGroups.containsKey(name)) {
            throw new AwsFault("DBParameterGroupAlreadyExists", 400, "Parameter group " + name + " already exists");
        }
        boolean served = Arrays.stream(RdsEngine.values())
                .anyMatch(engine -> engine.family().equals(request.dbParameterGroupFamily()));
        if (!served) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "the test bed serves no engine of parameter group family " + request.dbParameterGroupFamily());
        }
        ParameterGroup group = new ParameterGroup(
                name,
                request.dbParameterGroupFamily(),
                "arn:aws:rds:" + region + ":" + ACCOUNT + ":pg:" + name,
                request.description(),
                new ConcurrentHashMap<>());
        parameterGroups.put(name, group);
        if (!request.tags().isEmpty()) {
            alsoNeeds("AddTagsToResource");
        }
        return CreateDbParameterGroupResponse.builder()
                .dbParameterGroup(DBParameterGroup.builder()
                        .dbParameterGroupName(name)
                        .dbParameterGroupFamily(group.family())
                        .description(group.description())
                        .dbParameterGroupArn(group.arn())
                        .build())
                .build();
    }

    /**
     * Sets parameters of a group; those the test bed's servers act on take effect on every instance of the group at
     * once, as dynamic parameters do on RDS: {@code rds.force_ssl}, {@code require_secure_transport}. Others are kept
     * and reported only.
     */
    private synchronized ModifyDbParameterGroupResponse modifyParameterGroup(ModifyDbParameterGroupRequest request) {
        ParameterGroup group = parameterGroupFor(request.dbParameterGroupName(), null);
        request.parameters()
                .forEach(parameter -> group.values().put(parameter.parameterName(), parameter.parameterValue()));
        instances.forEach((id, instance) -> {
            if (group.name().equals(instance.settings().dbParameterGroupName()) && servers.containsKey(id)) {
                servers.get(id).requireTls(requiresTls(instance.settings()));
            }
        });
        return ModifyDbParameterGroupResponse.builder()
                .dbParameterGroupName(group.name())
                .build();
    }

    private DescribeDbParameterGroupsResponse describeParameterGroups(DescribeDbParameterGroupsRequest request) {
        List<DBParameterGroup> found = new ArrayList<>();
        new TreeMap<>(parameterGroups)
                .values().stream()
                        .filter(group -> request.dbParameterGroupName() == null
                                || group.name().equals(request.dbParameterGroupName()))
                        .forEach(group -> found.add(DBParameterGroup.builder()
                                .dbParameterGroupName(group.name())
                                .dbParameterGroupFamily(group.family())
                                .description(group.description())
                                .dbParameterGroupArn(group.arn())
                                .build()));
        if (request.dbParameterGroupName() != null && found.isEmpty()) {
            parameterGroupFor(request.dbParameterGroupName(), null);
        }
        return DescribeDbParameterGroupsResponse.builder()
                .dbParameterGroups(found)
                .build();
    }

    /** Deletes a group no instance uses, as RDS does. */
    private synchronized DeleteDbParameterGroupResponse deleteParameterGroup(DeleteDbParameterGroupRequest request) {
        ParameterGroup group = parameterGroupFor(request.dbParameterGroupName(), null);
        if (group.isDefault()
                || instances.keySet().stream()
                        .map(this::present)
                        .anyMatch(instance -> instance != null
                                && group.name().equals(instance.settings().dbParameterGroupName()))) {
            throw new AwsFault(
                    "InvalidDBParameterGroupState",
                    400,
                    "One or more database instances are still members of this parameter group " + group.name()
                            + ", so the group cannot be deleted");
        }
        parameterGroups.remove(group.name());
        return DeleteDbParameterGroupResponse.builder().build();
    }

    private DescribeDbParametersResponse describeParameters(DescribeDbParametersRequest request) {
        ParameterGroup group = parameterGroupFor(request.dbParameterGroupName(), null);
        List<Parameter> parameters = new ArrayList<>();
        new TreeMap<>(group.values())
                .forEach((name, value) -> parameters.add(Parameter.builder()
                        .parameterName(name)
                        .parameterValue(value)
                        .source("user")
                        .build()));
        return DescribeDbParametersResponse.builder().parameters(parameters).build();
    }

    /**
     * The group named; none names RDS's default group of the engine's family. An instance of {@code engine} (none:
     * no instance) can use a group of its family only, as on RDS.
     */
    private ParameterGroup parameterGroupFor(String name, RdsEngine engine) {
        ParameterGroup group = name == null
                ? ParameterGroup.defaultOf(engine)
                : Arrays.stream(RdsEngine.values())
                        .map(ParameterGroup::defaultOf)
                        .filter(defaultGroup -> defaultGroup.name().equals(name))
                        .findFirst()
                        .orElse(parameterGroups.get(name));
        if (group == null) {
            throw new AwsFault("DBParameterGroupNotFound", 404, "DBParameterGroup not found: " + name);
        }
        if (engine != null && !group.family().equals(engine.family())) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "The parameter group " + name + " with DBParameterGroupFamily " + group.family()
                            + " cannot be used for this instance. Use a parameter group with DBParameterGroupFamily "
                            + engine.family() + ".");
        }
        return group;
    }

    /** Whether the instance's group requires TLS of every login (its own value, or the family's default). */
    private boolean requiresTls(CreateDbInstanceRequest settings) {
        RdsEngine engine = engine(settings);
        return requiresTls(settings.dbParameterGroupName(), engine);
    }

    private boolean requiresTls(String groupName, RdsEngine engine) {
        return engine.requiresTls(parameterGroupFor(groupName, engine).values().get(engine.tlsParameter()));
    }

    private static RdsEngine engine(CreateDbInstanceRequest settings) {
        return RdsEngine.named(settings.engine()).orElseThrow();
    }

    /** A new DB instance of {@code settings} whose server is {@code server}, tagged as they say. */
    private Instance launch(CreateDbInstanceRequest settings, ManagedDatabaseServer server) {
        String id = settings.dbInstanceIdentifier();
        if (!settings.tags().isEmpty()) {
            alsoNeeds("AddTagsToResource"); // as IAM has it: tagging on create is authorized as tagging
        }
        servers.put(id, server);
        Instance instance = new Instance(
                settings, clock.instant(), "arn:aws:rds:" + region + ":" + ACCOUNT + ":db:" + id, null, null, null);
        instances.put(id, instance);
        creations.merge(id, 1, Integer::sum);
        Map<String, String> tags = new LinkedHashMap<>();
        settings.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        tagsByArn.put(instance.arn(), tags);
        return instance;
    }

    private synchronized CreateDbSnapshotResponse createSnapshot(CreateDbSnapshotRequest request) {
        Instance instance = present(request.dbInstanceIdentifier());
        if (instance == null) {
            throw notFound(request.dbInstanceIdentifier());
        }
        if (!status(instance).equals("available")) {
            throw new AwsFault(
                    "InvalidDBInstanceState",
                    400,
                    "Cannot create a snapshot because the database instance " + request.dbInstanceIdentifier()
                            + " is not currently in the available state.");
        }
        Snapshot snapshot = snapshot(request.dbSnapshotIdentifier(), instance, "manual");
        return CreateDbSnapshotResponse.builder().dbSnapshot(view(snapshot)).build();
    }

    /** Keeps the instance's data now, as a snapshot of {@code type} ({@code manual}: one someone asked for). */
    private Snapshot snapshot(String id, Instance instance, String type) {
        if (snapshots.containsKey(id)) {
            throw new AwsFault(
                    "DBSnapshotAlreadyExists",
                    400,
                    "Cannot create the snapshot because a snapshot with the identifier " + id + " already exists.");
        }
        Path dump = workDirectory.resolve("snapshots").resolve(id + ".sql");
        try {
            Files.createDirectories(dump.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        servers.get(instance.settings().dbInstanceIdentifier()).dumpTo(dump);
        Snapshot snapshot = new Snapshot(
                id,
                instance.settings(),
                "arn:aws:rds:" + region + ":" + ACCOUNT + ":snapshot:" + id,
                type,
                dump,
                clock.instant());
        snapshots.put(id, snapshot);
        return snapshot;
    }

    private synchronized DeleteDbSnapshotResponse deleteSnapshot(DeleteDbSnapshotRequest request) {
        Snapshot snapshot = snapshots.get(request.dbSnapshotIdentifier());
        if (snapshot == null) {
            throw snapshotNotFound(request.dbSnapshotIdentifier());
        }
        if (snapshotStatus(snapshot).equals("creating")) {
            throw new AwsFault(
                    "InvalidDBSnapshotState", 400, "Cannot delete the snapshot because it is still being created.");
        }
        snapshots.remove(snapshot.id());
        snapshot.dump().toFile().delete();
        return DeleteDbSnapshotResponse.builder()
                .dbSnapshot(view(snapshot).toBuilder().status("deleted").build())
                .build();
    }

    /**
     * A new DB instance with the snapshot's data, its master user and password among it, as RDS restores: the
     * snapshot's settings, with the class, Multi-AZ, deletion protection and tags the request gives.
     */
    private synchronized RestoreDbInstanceFromDbSnapshotResponse restore(
            RestoreDbInstanceFromDbSnapshotRequest request) {
        String id = request.dbInstanceIdentifier();
        if (present(id) != null) {
            throw new AwsFault("DBInstanceAlreadyExists", 400, "DB instance already exists");
        }
        Snapshot snapshot = snapshots.get(request.dbSnapshotIdentifier());
        if (snapshot == null) {
            throw snapshotNotFound(request.dbSnapshotIdentifier());
        }
        parameterGroupFor(request.dbParameterGroupName(), engine(snapshot.settings()));
        if (!snapshotStatus(snapshot).equals("available")) {
            throw new AwsFault("InvalidDBSnapshotState", 400, "Snapshot " + snapshot.id() + " is not available yet.");
        }
        CreateDbInstanceRequest settings = restoredSettings(
                snapshot.settings(),
                id,
                request.tags(),
                request.dbInstanceClass(),
                request.multiAZ(),
                request.deletionProtection(),
                request.dbParameterGroupName());
        ManagedDatabaseServer server = engine(snapshot.settings())
                .start(
                        workDirectory.resolve(id),
                        certificates,
                        snapshot.settings().masterUsername(),
                        FakeSecrets.generate(),
                        null,
                        requiresTls(request.dbParameterGroupName(), engine(snapshot.settings())));
        try {
            server.load(snapshot.dump());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Instance instance = launch(settings, server);
        return RestoreDbInstanceFromDbSnapshotResponse.builder()
                .dbInstance(view(instance))
                .build();
    }

    /** A restored instance's settings: its source's, with the class, Multi-AZ, protection and tags the request gives. */
    private static CreateDbInstanceRequest restoredSettings(
            CreateDbInstanceRequest source,
            String id,
            List<Tag> tags,
            String instanceClass,
            Boolean multiAz,
            Boolean deletionProtection,
            String parameterGroup) {
        // the source's managed secret stays the source's: a restored instance has the master password in its data
        CreateDbInstanceRequest.Builder settings = source.toBuilder()
                .dbInstanceIdentifier(id)
                .tags(tags)
                .dbParameterGroupName(parameterGroup)
                .manageMasterUserPassword(null)
                .masterUserSecretKmsKeyId(null);
        if (instanceClass != null) {
            settings.dbInstanceClass(instanceClass);
        }
        if (multiAz != null) {
            settings.multiAZ(multiAz);
        }
        if (deletionProtection != null) {
            settings.deletionProtection(deletionProtection);
        }
        return settings.build();
    }

    /**
     * A new DB instance with the source instance's data as it was at the restore time (or the latest restorable),
     * replayed from the source's logs by the engine itself; its master user and password are the source's.
     */
    private synchronized RestoreDbInstanceToPointInTimeResponse restoreToPointInTime(
            RestoreDbInstanceToPointInTimeRequest request) {
        String id = request.targetDBInstanceIdentifier();
        if (present(id) != null) {
            throw new AwsFault("DBInstanceAlreadyExists", 400, "DB instance already exists");
        }
        Instance source = present(request.sourceDBInstanceIdentifier());
        if (source == null || request.sourceDBInstanceIdentifier() == null) {
            throw notFound(request.sourceDBInstanceIdentifier());
        }
        if (Integer.valueOf(0).equals(source.settings().backupRetentionPeriod())) {
            throw new AwsFault(
                    "PointInTimeRestoreNotEnabled",
                    400,
                    "Point-in-time restore is not enabled for " + request.sourceDBInstanceIdentifier()
                            + ": its backup retention period is 0.");
        }
        boolean latest = Boolean.TRUE.equals(request.useLatestRestorableTime());
        if (latest == (request.restoreTime() != null)) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Exactly one of RestoreTime and UseLatestRestorableTime must be given.");
        }
        RdsEngine engine = engine(source.settings());
        parameterGroupFor(request.dbParameterGroupName(), engine);
        ManagedDatabaseServer server;
        try {
            server = servers.get(source.settings().dbInstanceIdentifier())
                    .restoredAt(
                            latest ? Instant.now() : request.restoreTime(),
                            workDirectory.resolve(id),
                            requiresTls(request.dbParameterGroupName(), engine));
        } catch (RestoreOutsideWindowException e) {
            throw new AwsFault("InvalidRestoreFault", 400, e.getMessage());
        }
        Instance instance = launch(
                restoredSettings(
                        source.settings(),
                        id,
                        request.tags(),
                        request.dbInstanceClass(),
                        request.multiAZ(),
                        request.deletionProtection(),
                        request.dbParameterGroupName()),
                server);
        return RestoreDbInstanceToPointInTimeResponse.builder()
                .dbInstance(view(instance))
                .build();
    }

    private DescribeDbInstancesResponse describe(DescribeDbInstancesRequest request) {
        List<DBInstance> found = new ArrayList<>();
        if (request.dbInstanceIdentifier() != null) {
            Instance instance = present(request.dbInstanceIdentifier());
            if (instance == null) {
                throw notFound(request.dbInstanceIdentifier());
            }
            found.add(view(instance));
        } else {
            instances.keySet().stream()
                    .sorted()
                    .map(this::present)
                    .filter(instance -> instance != null)
                    .forEach(instance -> found.add(view(instance)));
        }
        return DescribeDbInstancesResponse.builder().dbInstances(found).build();
    }

    private synchronized DeleteDbInstanceResponse delete(DeleteDbInstanceRequest request) {
        Instance instance = present(request.dbInstanceIdentifier());
        if (instance == null) {
            throw notFound(request.dbInstanceIdentifier());
        }
        if (!Boolean.TRUE.equals(request.skipFinalSnapshot()) && request.finalDBSnapshotIdentifier() == null) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        }
        String status = status(instance);
        if (instance.deleteStarted() != null || status.equals("creating")) {
            throw new AwsFault(
                    "InvalidDBInstanceState", 400, "Instance " + request.dbInstanceIdentifier() + " is " + status);
        }
        if (Boolean.TRUE.equals(instance.settings().deletionProtection())) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Cannot delete protected DB Instance, please disable deletion protection and try again.");
        }
        if (request.finalDBSnapshotIdentifier() != null) {
            alsoNeeds("CreateDBSnapshot"); // as IAM has it: a final snapshot is authorized as a snapshot
            snapshot(request.finalDBSnapshotIdentifier(), instance, "manual");
        }
        Instance deleting = instance.deleting(clock.instant());
        instances.put(request.dbInstanceIdentifier(), deleting);
        return DeleteDbInstanceResponse.builder().dbInstance(view(deleting)).build();
    }

    /**
     * Changes of class, storage, Multi-AZ, engine version and backup retention, applied at once (status
     * {@code modifying}); a new master password always at once (status {@code resetting-master-credentials}), on the
     * real server too. Changes the fake cannot make later (without {@code ApplyImmediately}) are refused rather than
     * pretended; storage never shrinks, as on RDS.
     */
    private synchronized ModifyDbInstanceResponse modify(ModifyDbInstanceRequest request) {
        String id = request.dbInstanceIdentifier();
        Instance instance = present(id);
        if (instance == null) {
            throw notFound(id);
        }
        String status = status(instance);
        if (!status.equals("available")) {
            throw new AwsFault("InvalidDBInstanceState", 400, "Database instance is not in available state.");
        }
        CreateDbInstanceRequest current = instance.settings();
        if (request.allocatedStorage() != null && request.allocatedStorage() < current.allocatedStorage()) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Invalid storage size: allocated storage cannot be reduced from " + current.allocatedStorage()
                            + " GiB to " + request.allocatedStorage() + " GiB.");
        }
        boolean settingsChange = request.dbInstanceClass() != null
                || request.allocatedStorage() != null
                || request.maxAllocatedStorage() != null
                || request.multiAZ() != null
                || request.engineVersion() != null
                || request.backupRetentionPeriod() != null
                || request.dbParameterGroupName() != null;
        if (settingsChange && !Boolean.TRUE.equals(request.applyImmediately())) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "the test bed applies modifications immediately only: set ApplyImmediately");
        }
        CreateDbInstanceRequest.Builder changed = current.toBuilder();
        if (request.dbInstanceClass() != null) {
            changed.dbInstanceClass(request.dbInstanceClass());
        }
        if (request.allocatedStorage() != null) {
            changed.allocatedStorage(request.allocatedStorage());
        }
        if (request.maxAllocatedStorage() != null) {
            changed.maxAllocatedStorage(request.maxAllocatedStorage());
        }
        if (request.multiAZ() != null) {
            changed.multiAZ(request.multiAZ());
        }
        if (request.engineVersion() != null) {
            changed.engineVersion(request.engineVersion());
        }
        if (request.backupRetentionPeriod() != null) {
            changed.backupRetentionPeriod(request.backupRetentionPeriod());
        }
        if (request.dbParameterGroupName() != null) {
            parameterGroupFor(request.dbParameterGroupName(), engine(current));
            if (!request.dbParameterGroupName().equals(current.dbParameterGroupName())) {
                // as on RDS: another group is the instance's at once, its values once it reboots
                pendingReboot.add(id);
            }
            changed.dbParameterGroupName(request.dbParameterGroupName());
        }
        // as on RDS, these take effect at once and leave the instance available
        if (request.deletionProtection() != null) {
            changed.deletionProtection(request.deletionProtection());
        }
        if (request.preferredBackupWindow() != null) {
            changed.preferredBackupWindow(request.preferredBackupWindow());
        }
        if (request.preferredMaintenanceWindow() != null) {
            changed.preferredMaintenanceWindow(request.preferredMaintenanceWindow());
        }
        String busy = settingsChange ? "modifying" : null;
        if (masterCredentials(instance, request)) {
            busy = busy == null ? "resetting-master-credentials" : busy;
        }
        Instance modified = busy == null
                ? instance.busy(changed.build(), null, null)
                : instance.busy(changed.build(), busy, clock.instant().plus(timings.modifying()));
        instances.put(id, modified);
        return ModifyDbInstanceResponse.builder().dbInstance(view(modified)).build();
    }

    /**
     * What a modification does to the master's credentials, as RDS does: a new password ({@code MasterUserPassword});
     * the password managed in Secrets Manager from now on ({@code ManageMasterUserPassword}: RDS makes a new one and
     * its secret), or no longer (the secret is deleted, a {@code MasterUserPassword} is required); a managed password
     * rotated now ({@code RotateMasterUserPassword}). Whether the credentials changed.
     */
    private boolean masterCredentials(Instance instance, ModifyDbInstanceRequest request) {
        String id = request.dbInstanceIdentifier();
        String username = instance.settings().masterUsername();
        boolean managed = masterSecrets.containsKey(id);
        Boolean manage = request.manageMasterUserPassword();
        boolean rotate = Boolean.TRUE.equals(request.rotateMasterUserPassword());
        if (request.masterUserPassword() != null && (Boolean.TRUE.equals(manage) || (managed && manage == null))) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "MasterUserPassword can't be specified while RDS manages the master user password in"
                            + " Secrets Manager, unless ManageMasterUserPassword is false.");
        }
        if (Boolean.FALSE.equals(manage) && managed && request.masterUserPassword() == null) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "MasterUserPassword is required to stop managing the master user password in Secrets Manager.");
        }
        if (rotate && (!managed || manage != null || !Boolean.TRUE.equals(request.applyImmediately()))) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "RotateMasterUserPassword requires a master user password managed in Secrets Manager already,"
                            + " and ApplyImmediately.");
        }
        if (request.masterUserSecretKmsKeyId() != null && (managed || !Boolean.TRUE.equals(manage))) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "MasterUserSecretKmsKeyId can be given only when ManageMasterUserPassword turns the management"
                            + " on; the KMS key of a managed secret cannot change.");
        }
        if (Boolean.TRUE.equals(manage) && !managed) {
            alsoNeeds("secretsmanager", "RotateSecret");
            String password = FakeSecrets.generate();
            servers.get(id).changeAdministratorPassword(username, password);
            manageMasterPassword(instance, password, request.masterUserSecretKmsKeyId());
            return true;
        }
        if (Boolean.FALSE.equals(manage) && managed) {
            alsoNeeds("secretsmanager", "DeleteSecret");
            secretsManager.delete(masterSecrets.remove(id).arn());
        }
        if (rotate) {
            alsoNeeds("secretsmanager", "RotateSecret");
            rotateManagedMasterPassword(id);
            return true;
        }
        if (request.masterUserPassword() != null) {
            servers.get(id).changeAdministratorPassword(username, request.masterUserPassword());
            return true;
        }
        return false;
    }

    private AddTagsToResourceResponse addTags(AddTagsToResourceRequest request) {
        Map<String, String> tags = tagsOf(request.resourceName());
        request.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        return AddTagsToResourceResponse.builder().build();
    }

    private ListTagsForResourceResponse listTags(ListTagsForResourceRequest request) {
        tagsOf(request.resourceName());
        return ListTagsForResourceResponse.builder()
                .tagList(tagList(request.resourceName()))
                .build();
    }

    private List<Tag> tagList(String arn) {
        List<Tag> tags = new ArrayList<>();
        tagsByArn
                .getOrDefault(arn, Map.of())
                .forEach((key, value) ->
                        tags.add(Tag.builder().key(key).value(value).build()));
        return tags;
    }

    private DescribeDbSnapshotsResponse describeSnapshots(DescribeDbSnapshotsRequest request) {
        List<DBSnapshot> found = new ArrayList<>();
        if (request.dbSnapshotIdentifier() != null) {
            Snapshot snapshot = snapshots.get(request.dbSnapshotIdentifier());
            if (snapshot == null) {
                throw snapshotNotFound(request.dbSnapshotIdentifier());
            }
            found.add(view(snapshot));
        } else {
            snapshots.values().stream()
                    .filter(snapshot -> request.dbInstanceIdentifier() == null
                            || request.dbInstanceIdentifier()
                                    .equals(snapshot.settings().dbInstanceIdentifier()))
                    .sorted(Comparator.comparing(Snapshot::id))
                    .map(this::view)
                    .forEach(found::add);
        }
        return DescribeDbSnapshotsResponse.builder().dbSnapshots(found).build();
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = tagsByArn.get(arn);
        if (tags == null) {
            throw new AwsFault("DBInstanceNotFound", 404, "DBInstance " + arn + " not found.");
        }
        return tags;
    }

    /** The instance, unless its deletion has finished (then it is forgotten). */
    private synchronized Instance present(String id) {
        Instance instance = instances.get(id);
        if (instance != null
                && instance.deleteStarted() != null
                && !clock.instant().isBefore(instance.deleteStarted().plus(timings.deleting()))) {
            instances.remove(id);
            tagsByArn.remove(instance.arn());
            ManagedDatabaseServer server = servers.remove(id);
            if (server != null) {
                server.close();
            }
            MasterSecret secret = masterSecrets.remove(id);
            if (secret != null) {
                secretsManager.delete(secret.arn()); // RDS deletes the secret it managed with the instance
            }
            return null;
        }
        return instance;
    }

    private String status(Instance instance) {
        if (instance.deleteStarted() != null) {
            return "deleting";
        }
        Duration age = Duration.between(instance.created(), clock.instant());
        if (age.compareTo(timings.creating()) < 0) {
            return "creating";
        }
        boolean keepsBackups = instance.settings().backupRetentionPeriod() == null
                || instance.settings().backupRetentionPeriod() > 0;
        if (keepsBackups && age.compareTo(timings.creating().plus(timings.backingUp())) < 0) {
            return "backing-up";
        }
        if (instance.busyStatus() != null && clock.instant().isBefore(instance.busyUntil())) {
            return instance.busyStatus();
        }
        return "available";
    }

    private DBInstance view(Instance instance) {
        CreateDbInstanceRequest request = instance.settings();
        String status = status(instance);
        DBInstance.Builder view = DBInstance.builder()
                .dbInstanceIdentifier(request.dbInstanceIdentifier())
                .dbInstanceArn(instance.arn())
                .dbInstanceClass(request.dbInstanceClass())
                .engine(request.engine())
                .engineVersion(request.engineVersion())
                .dbInstanceStatus(status)
                .masterUsername(request.masterUsername())
                .dbName(request.dbName())
                .allocatedStorage(request.allocatedStorage())
                .maxAllocatedStorage(request.maxAllocatedStorage())
                .multiAZ(Boolean.TRUE.equals(request.multiAZ()))
                .storageEncrypted(Boolean.TRUE.equals(request.storageEncrypted()))
                .backupRetentionPeriod(request.backupRetentionPeriod() == null ? 1 : request.backupRetentionPeriod())
                .preferredBackupWindow(
                        request.preferredBackupWindow() == null ? "03:00-03:30" : request.preferredBackupWindow())
                .preferredMaintenanceWindow(
                        request.preferredMaintenanceWindow() == null
                                ? "sun:04:00-sun:04:30"
                                : request.preferredMaintenanceWindow().toLowerCase())
                .deletionProtection(Boolean.TRUE.equals(request.deletionProtection()))
                .pendingModifiedValues(PendingModifiedValues.builder().build())
                .dbParameterGroups(DBParameterGroupStatus.builder()
                        .dbParameterGroupName(
                                request.dbParameterGroupName() == null
                                        ? ParameterGroup.defaultOf(engine(request))
                                                .name()
                                        : request.dbParameterGroupName())
                        .parameterApplyStatus(
                                pendingReboot.contains(request.dbInstanceIdentifier()) ? "pending-reboot" : "in-sync")
                        .build())
                .tagList(tagList(instance.arn()))
                .instanceCreateTime(instance.created());
        MasterSecret secret = masterSecrets.get(request.dbInstanceIdentifier());
        if (secret != null) {
            view.masterUserSecret(MasterUserSecret.builder()
                    .secretArn(secret.arn())
                    .secretStatus("active")
                    .kmsKeyId(secret.kmsKeyId())
                    .build());
        }
        ManagedDatabaseServer server = servers.get(request.dbInstanceIdentifier());
        if (server != null) {
            // the logs are the engine's real ones (WAL, binary log), so the latest restorable time is the real now
            if (server.earliestRestorableTime().isPresent()) {
                view.latestRestorableTime(Instant.now());
            }
        }
        if (server != null && !status.equals("creating")) {
            view.endpoint(
                    Endpoint.builder().address("127.0.0.1").port(server.port()).build());
        }
        return view.build();
    }

    /** An SDK client of this fake, signing with {@code key}: how a test looks at what the fake holds. */
    public RdsClient client(AccessKeys.Key key) {
        return client(RdsClient.builder(), key);
    }

    /** The master password the instance was created with: what a test checks no log of the caller holds. */
    public String masterPasswordSent(String identifier) {
        Instance instance = present(identifier);
        if (instance == null) {
            throw new IllegalArgumentException("no DB instance " + identifier);
        }
        return instance.settings().masterUserPassword();
    }

    /** How many DB instances of this identifier were created, ever. */
    public int creations(String identifier) {
        return creations.getOrDefault(identifier, 0);
    }

    /** The identifiers of the DB instances that exist now, deleting ones included. */
    public Set<String> identifiers() {
        return instances.keySet().stream()
                .filter(id -> present(id) != null)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Stops every instance's server. */
    @Override
    public void close() {
        super.close();
        servers.values().forEach(ManagedDatabaseServer::close);
        servers.clear();
    }

    /** Creating for as long as a backup takes, then available. */
    private String snapshotStatus(Snapshot snapshot) {
        return clock.instant().isBefore(snapshot.created().plus(timings.backingUp())) ? "creating" : "available";
    }

    private DBSnapshot view(Snapshot snapshot) {
        CreateDbInstanceRequest settings = snapshot.settings();
        return DBSnapshot.builder()
                .dbSnapshotIdentifier(snapshot.id())
                .dbSnapshotArn(snapshot.arn())
                .dbInstanceIdentifier(settings.dbInstanceIdentifier())
                .engine(settings.engine())
                .engineVersion(settings.engineVersion())
                .allocatedStorage(settings.allocatedStorage())
                .masterUsername(settings.masterUsername())
                .encrypted(Boolean.TRUE.equals(settings.storageEncrypted()))
                .snapshotType(snapshot.type())
                .status(snapshotStatus(snapshot))
                .snapshotCreateTime(snapshot.created())
                .build();
    }

    private static AwsFault snapshotNotFound(String id) {
        return new AwsFault("DBSnapshotNotFound", 404, "DBSnapshot " + id + " not found.");
    }

    private static AwsFault notFound(String id) {
        return new AwsFault("DBInstanceNotFound", 404, "DBInstance " + id + " not found.");
    }
}
