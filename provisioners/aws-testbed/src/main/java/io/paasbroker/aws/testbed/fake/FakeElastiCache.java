package io.paasbroker.aws.testbed.fake;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import io.paasbroker.testbed.ManagedRedis;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.elasticache.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.elasticache.model.Authentication;
import software.amazon.awssdk.services.elasticache.model.CacheParameterGroup;
import software.amazon.awssdk.services.elasticache.model.CreateCacheParameterGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateCacheParameterGroupResponse;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupResponse;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.CreateUserGroupRequest;
import software.amazon.awssdk.services.elasticache.model.CreateUserGroupResponse;
import software.amazon.awssdk.services.elasticache.model.CreateUserRequest;
import software.amazon.awssdk.services.elasticache.model.CreateUserResponse;
import software.amazon.awssdk.services.elasticache.model.DecreaseReplicaCountRequest;
import software.amazon.awssdk.services.elasticache.model.DecreaseReplicaCountResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteCacheParameterGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteCacheParameterGroupResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteReplicationGroupResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteSnapshotResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteUserGroupRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteUserGroupResponse;
import software.amazon.awssdk.services.elasticache.model.DeleteUserRequest;
import software.amazon.awssdk.services.elasticache.model.DeleteUserResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheParameterGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeCacheParameterGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeReplicationGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeUserGroupsRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeUserGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeUsersRequest;
import software.amazon.awssdk.services.elasticache.model.DescribeUsersResponse;
import software.amazon.awssdk.services.elasticache.model.Endpoint;
import software.amazon.awssdk.services.elasticache.model.IncreaseReplicaCountRequest;
import software.amazon.awssdk.services.elasticache.model.IncreaseReplicaCountResponse;
import software.amazon.awssdk.services.elasticache.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.elasticache.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.elasticache.model.ModifyCacheParameterGroupRequest;
import software.amazon.awssdk.services.elasticache.model.ModifyCacheParameterGroupResponse;
import software.amazon.awssdk.services.elasticache.model.ModifyReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.ModifyReplicationGroupResponse;
import software.amazon.awssdk.services.elasticache.model.ModifyUserGroupRequest;
import software.amazon.awssdk.services.elasticache.model.ModifyUserGroupResponse;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.Snapshot;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.awssdk.services.elasticache.model.User;
import software.amazon.awssdk.services.elasticache.model.UserGroup;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * A stateful fake of Amazon ElastiCache for Redis, the parts a broker of replication groups with RBAC uses: users,
 * user groups, replication groups (cluster mode off), cache parameter groups, snapshots and tags, through the
 * unmodified SDK client. Behind each replication group runs a real Redis 7 server ({@link ManagedRedis}), TLS only;
 * the users of the group's user group are its ACL users, changed as the user group changes and removed (their
 * connections closed) when the user is deleted. Statuses move as ElastiCache's do: a replication group is
 * {@code creating}, then {@code available}; {@code modifying} after a change, {@code snapshotting} while a snapshot is
 * taken, {@code deleting}, then gone; a user group is {@code creating} or {@code modifying} a while, then
 * {@code active}. The rules ElastiCache enforces are enforced: a user group needs a user named {@code default} and no
 * two users of one name; the default user of a user group cannot be deleted; a user group or parameter group in use
 * cannot be deleted; a replication group takes changes only while available. Replicas and Multi-AZ are reported as
 * asked; one server serves the group's primary and reader endpoints alike. Errors are the model's.
 */
public final class FakeElastiCache extends QueryServiceFake {

    public static final String ACCOUNT = FakeRds.ACCOUNT;
    /** The one parameter group family the test bed serves: the machine's Redis is 7. */
    private static final String FAMILY = "redis7";
    /** Parameters the servers act on at once; others are kept and reported only. */
    private static final Set<String> APPLIED = Set.of("maxmemory-policy");

    private record Group(
            CreateReplicationGroupRequest settings,
            String arn,
            Instant created,
            String busyStatus,
            Instant busyUntil,
            Instant deleteStarted) {

        Group busy(CreateReplicationGroupRequest changed, String status, Instant until) {
            return new Group(changed, arn, created, status, until, deleteStarted);
        }

        Group deleting(Instant at) {
            return new Group(settings, arn, created, null, null, at);
        }
    }

    private record CacheUser(CreateUserRequest settings, String arn, Instant deleteStarted) {}

    private record UserGroupState(
            String id, String arn, Set<String> userIds, String busyStatus, Instant busyUntil, Instant deleteStarted) {}

    private record SnapshotState(
            String name,
            CreateReplicationGroupRequest settings,
            String arn,
            String source,
            Path rdb,
            Instant created) {}

    private record ParameterGroup(String name, String arn, String description, Map<String, String> values) {}

    private final String region;
    private final Path workDirectory;
    private final TestBedCertificates certificates;
    private final StatusTimings timings;
    private final Clock clock;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, ManagedRedis> servers = new ConcurrentHashMap<>();
    private final Map<String, CacheUser> users = new ConcurrentHashMap<>();
    private final Map<String, UserGroupState> userGroups = new ConcurrentHashMap<>();
    private final Map<String, SnapshotState> snapshots = new ConcurrentHashMap<>();
    private final Map<String, ParameterGroup> parameterGroups = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> tagsByArn = new ConcurrentHashMap<>();
    private final Map<String, Integer> creations = new ConcurrentHashMap<>();

    /**
     * @param workDirectory where the servers keep their data and the snapshots theirs
     * @param certificates what the servers serve TLS with
     * @param keys whose signatures it accepts
     */
    public FakeElastiCache(
            String region,
            Path workDirectory,
            TestBedCertificates certificates,
            AccessKeys keys,
            StatusTimings timings,
            Clock clock) {
        super(
                ServiceModel.load("elasticache", "2015-02-02"),
                FullModel.load("elasticache", "2015-02-02"),
                "http://elasticache.amazonaws.com/doc/2015-02-02/",
                keys,
                region);
        this.region = region;
        this.workDirectory = workDirectory.toAbsolutePath();
        this.certificates = certificates;
        this.timings = timings;
        this.clock = clock;
        on("CreateUser", p -> createUser(QueryRequestReader.read(p, CreateUserRequest.builder())));
        on("DescribeUsers", p -> describeUsers(QueryRequestReader.read(p, DescribeUsersRequest.builder())));
        on("DeleteUser", p -> deleteUser(QueryRequestReader.read(p, DeleteUserRequest.builder())));
        on("CreateUserGroup", p -> createUserGroup(QueryRequestReader.read(p, CreateUserGroupRequest.builder())));
        on("ModifyUserGroup", p -> modifyUserGroup(QueryRequestReader.read(p, ModifyUserGroupRequest.builder())));
        on("DeleteUserGroup", p -> deleteUserGroup(QueryRequestReader.read(p, DeleteUserGroupRequest.builder())));
        on(
                "DescribeUserGroups",
                p -> describeUserGroups(QueryRequestReader.read(p, DescribeUserGroupsRequest.builder())));
        on("CreateReplicationGroup", p -> create(QueryRequestReader.read(p, CreateReplicationGroupRequest.builder())));
        on(
                "DescribeReplicationGroups",
                p -> describe(QueryRequestReader.read(p, DescribeReplicationGroupsRequest.builder())));
        on("ModifyReplicationGroup", p -> modify(QueryRequestReader.read(p, ModifyReplicationGroupRequest.builder())));
        on("DeleteReplicationGroup", p -> delete(QueryRequestReader.read(p, DeleteReplicationGroupRequest.builder())));
        on(
                "IncreaseReplicaCount",
                p -> increaseReplicas(QueryRequestReader.read(p, IncreaseReplicaCountRequest.builder())));
        on(
                "DecreaseReplicaCount",
                p -> decreaseReplicas(QueryRequestReader.read(p, DecreaseReplicaCountRequest.builder())));
        on(
                "CreateCacheParameterGroup",
                p -> createParameterGroup(QueryRequestReader.read(p, CreateCacheParameterGroupRequest.builder())));
        on(
                "ModifyCacheParameterGroup",
                p -> modifyParameterGroup(QueryRequestReader.read(p, ModifyCacheParameterGroupRequest.builder())));
        on(
                "DescribeCacheParameterGroups",
                p -> describeParameterGroups(
                        QueryRequestReader.read(p, DescribeCacheParameterGroupsRequest.builder())));
        on(
                "DeleteCacheParameterGroup",
                p -> deleteParameterGroup(QueryRequestReader.read(p, DeleteCacheParameterGroupRequest.builder())));
        on("CreateSnapshot", p -> createSnapshot(QueryRequestReader.read(p, CreateSnapshotRequest.builder())));
        on("DescribeSnapshots", p -> describeSnapshots(QueryRequestReader.read(p, DescribeSnapshotsRequest.builder())));
        on("DeleteSnapshot", p -> deleteSnapshot(QueryRequestReader.read(p, DeleteSnapshotRequest.builder())));
        on("AddTagsToResource", p -> addTags(QueryRequestReader.read(p, AddTagsToResourceRequest.builder())));
        on("ListTagsForResource", p -> listTags(QueryRequestReader.read(p, ListTagsForResourceRequest.builder())));
    }

    // --- users

    private synchronized CreateUserResponse createUser(CreateUserRequest request) {
        if (presentUser(request.userId()) != null) {
            throw new AwsFault("UserAlreadyExists", 400, "User " + request.userId() + " already exists.");
        }
        boolean noPassword = Boolean.TRUE.equals(request.noPasswordRequired());
        if (noPassword == !request.passwords().isEmpty()) {
            throw new AwsFault(
                    "InvalidParameterCombination", 400, "Passwords or NoPasswordRequired, one of them, is required.");
        }
        if (request.passwords().stream().anyMatch(password -> password.length() < 16 || password.length() > 128)) {
            throw new AwsFault("InvalidParameterValue", 400, "Passwords length must be between 16-128 characters.");
        }
        CacheUser user = new CacheUser(request, arn("user", request.userId()), null);
        users.put(request.userId(), user);
        tag(user.arn(), request.tags());
        return copy(view(user), CreateUserResponse.builder());
    }

    private DescribeUsersResponse describeUsers(DescribeUsersRequest request) {
        List<User> found = new ArrayList<>();
        if (request.userId() != null) {
            found.add(view(userOf(request.userId())));
        } else {
            new TreeSet<>(users.keySet())
                    .stream()
                            .map(this::presentUser)
                            .filter(user -> user != null)
                            .forEach(user -> found.add(view(user)));
        }
        return DescribeUsersResponse.builder().users(found).build();
    }

    /** Deletes a user: out of every user group at once, and off every server those serve; gone a while later. */
    private synchronized DeleteUserResponse deleteUser(DeleteUserRequest request) {
        CacheUser user = userOf(request.userId());
        if (user.deleteStarted() != null) {
            throw new AwsFault("InvalidUserState", 400, "User " + request.userId() + " is being deleted.");
        }
        List<UserGroupState> holding = userGroups.values().stream()
                .filter(group -> group.userIds().contains(user.settings().userId()))
                .toList();
        if ("default".equals(user.settings().userName()) && !holding.isEmpty()) {
            throw new AwsFault(
                    "DefaultUserAssociatedToUserGroup",
                    400,
                    "User " + request.userId() + " is the default user of user group "
                            + holding.get(0).id());
        }
        holding.forEach(group -> {
            group.userIds().remove(user.settings().userId());
            serversOf(group.id())
                    .forEach(server -> server.deleteUser(user.settings().userName()));
        });
        CacheUser deleting = new CacheUser(user.settings(), user.arn(), clock.instant());
        users.put(request.userId(), deleting);
        return copy(view(deleting), DeleteUserResponse.builder());
    }

    private CacheUser userOf(String id) {
        CacheUser user = presentUser(id);
        if (user == null) {
            throw new AwsFault("UserNotFound", 404, "User " + id + " not found.");
        }
        return user;
    }

    private synchronized CacheUser presentUser(String id) {
        CacheUser user = users.get(id);
        if (user != null && user.deleteStarted() != null && over(user.deleteStarted(), timings.modifying())) {
            users.remove(id);
            tagsByArn.remove(user.arn());
            return null;
        }
        return user;
    }

    private User view(CacheUser user) {
        boolean noPassword = Boolean.TRUE.equals(user.settings().noPasswordRequired());
        return User.builder()
                .userId(user.settings().userId())
                .userName(user.settings().userName())
                .status(user.deleteStarted() != null ? "deleting" : "active")
                .engine(user.settings().engine())
                .minimumEngineVersion("6.0")
                .accessString(user.settings().accessString())
                .userGroupIds(userGroups.values().stream()
                        .filter(group ->
                                group.userIds().contains(user.settings().userId()))
                        .map(UserGroupState::id)
                        .sorted()
                        .toList())
                .authentication(Authentication.builder()
                        .type(noPassword ? "no-password" : "password")
                        .passwordCount(user.settings().passwords().size())
                        .build())
                .arn(user.arn())
                .build();
    }

    // --- user groups

    private synchronized CreateUserGroupResponse createUserGroup(CreateUserGroupRequest request) {
        if (presentUserGroup(request.userGroupId()) != null) {
            throw new AwsFault(
                    "UserGroupAlreadyExists", 400, "User group " + request.userGroupId() + " already exists.");
        }
        Set<String> members = ConcurrentHashMap.newKeySet();
        members.addAll(request.userIds());
        checkMembers(members);
        UserGroupState group = new UserGroupState(
                request.userGroupId(),
                arn("usergroup", request.userGroupId()),
                members,
                "creating",
                clock.instant().plus(timings.modifying()),
                null);
        userGroups.put(group.id(), group);
        tag(group.arn(), request.tags());
        return copy(view(group), CreateUserGroupResponse.builder());
    }

    /** Users in and out of the group: on and off every server the group serves at once, active a while later. */
    private synchronized ModifyUserGroupResponse modifyUserGroup(ModifyUserGroupRequest request) {
        UserGroupState group = userGroupOf(request.userGroupId());
        if (!userGroupStatus(group).equals("active")) {
            throw new AwsFault(
                    "InvalidUserGroupState", 400, "User group " + group.id() + " is " + userGroupStatus(group) + ".");
        }
        Set<String> members = new LinkedHashSet<>(group.userIds());
        for (String id : request.userIdsToAdd()) {
            if (members.contains(id)) {
                throw new AwsFault(
                        "InvalidParameterValue", 400, "User " + id + " is already a member of " + group.id());
            }
            members.add(id);
        }
        for (String id : request.userIdsToRemove()) {
            if (!members.remove(id)) {
                throw new AwsFault("InvalidParameterValue", 400, "User " + id + " is not a member of " + group.id());
            }
        }
        checkMembers(members);
        request.userIdsToRemove()
                .forEach(id -> serversOf(group.id())
                        .forEach(server ->
                                server.deleteUser(users.get(id).settings().userName())));
        request.userIdsToAdd().forEach(id -> serversOf(group.id()).forEach(server -> apply(server, users.get(id))));
        group.userIds().clear();
        group.userIds().addAll(members);
        UserGroupState modifying = new UserGroupState(
                group.id(),
                group.arn(),
                group.userIds(),
                "modifying",
                clock.instant().plus(timings.modifying()),
                null);
        userGroups.put(group.id(), modifying);
        return copy(view(modifying), ModifyUserGroupResponse.builder());
    }

    /** ElastiCache's rules for a group's users: they exist, one is named default, no two share a name. */
    private void checkMembers(Set<String> ids) {
        List<String> names = new ArrayList<>();
        for (String id : ids) {
            CacheUser user = userOf(id);
            if (user.deleteStarted() != null) {
                throw new AwsFault("UserNotFound", 404, "User " + id + " is being deleted.");
            }
            names.add(user.settings().userName());
        }
        if (!names.contains("default")) {
            throw new AwsFault("DefaultUserRequired", 400, "A user group needs a user named default.");
        }
        if (new TreeSet<>(names).size() != names.size()) {
            throw new AwsFault("DuplicateUserName", 400, "Two users of the group share a user name.");
        }
    }

    private synchronized DeleteUserGroupResponse deleteUserGroup(DeleteUserGroupRequest request) {
        UserGroupState group = userGroupOf(request.userGroupId());
        if (!userGroupStatus(group).equals("active")
                || !replicationGroupsOf(group.id()).isEmpty()) {
            throw new AwsFault(
                    "InvalidUserGroupState",
                    400,
                    "User group " + group.id() + " is " + userGroupStatus(group)
                            + " or associated with a replication group.");
        }
        UserGroupState deleting =
                new UserGroupState(group.id(), group.arn(), group.userIds(), null, null, clock.instant());
        userGroups.put(group.id(), deleting);
        return copy(view(deleting), DeleteUserGroupResponse.builder());
    }

    private DescribeUserGroupsResponse describeUserGroups(DescribeUserGroupsRequest request) {
        List<UserGroup> found = new ArrayList<>();
        if (request.userGroupId() != null) {
            found.add(view(userGroupOf(request.userGroupId())));
        } else {
            new TreeSet<>(userGroups.keySet())
                    .stream()
                            .map(this::presentUserGroup)
                            .filter(group -> group != null)
                            .forEach(group -> found.add(view(group)));
        }
        return DescribeUserGroupsResponse.builder().userGroups(found).build();
    }

    private UserGroupState userGroupOf(String id) {
        UserGroupState group = presentUserGroup(id);
        if (group == null) {
            throw new AwsFault("UserGroupNotFound", 404, "User group " + id + " not found.");
        }
        return group;
    }

    private synchronized UserGroupState presentUserGroup(String id) {
        UserGroupState group = userGroups.get(id);
        if (group != null && group.deleteStarted() != null && over(group.deleteStarted(), timings.modifying())) {
            userGroups.remove(id);
            tagsByArn.remove(group.arn());
            return null;
        }
        return group;
    }

    private String userGroupStatus(UserGroupState group) {
        if (group.deleteStarted() != null) {
            return "deleting";
        }
        return group.busyStatus() != null && clock.instant().isBefore(group.busyUntil())
                ? group.busyStatus()
                : "active";
    }

    private UserGroup view(UserGroupState group) {
        return UserGroup.builder()
                .userGroupId(group.id())
                .status(userGroupStatus(group))
                .engine("redis")
                .userIds(new TreeSet<>(group.userIds()))
                .minimumEngineVersion("6.0")
                .replicationGroups(replicationGroupsOf(group.id()))
                .arn(group.arn())
                .build();
    }

    /** The live replication groups that use the user group. */
    private List<String> replicationGroupsOf(String userGroupId) {
        return new TreeSet<>(groups.keySet())
                .stream()
                        .map(this::present)
                        .filter(group ->
                                group != null && group.settings().userGroupIds().contains(userGroupId))
                        .map(group -> group.settings().replicationGroupId())
                        .toList();
    }

    private List<ManagedRedis> serversOf(String userGroupId) {
        return replicationGroupsOf(userGroupId).stream()
                .map(servers::get)
                .filter(server -> server != null)
                .toList();
    }

    private static void apply(ManagedRedis server, CacheUser user) {
        CreateUserRequest settings = user.settings();
        try {
            server.setUser(
                    settings.userName(),
                    settings.passwords(),
                    Boolean.TRUE.equals(settings.noPasswordRequired()),
                    settings.accessString());
        } catch (RuntimeException e) {
            throw new AwsFault(
                    "InvalidParameterValue", 400, "Access string of user " + settings.userId() + " is invalid.");
        }
    }

    // --- replication groups

    private synchronized CreateReplicationGroupResponse create(CreateReplicationGroupRequest request) {
        String id = request.replicationGroupId();
        if (present(id) != null) {
            throw new AwsFault("ReplicationGroupAlreadyExists", 400, "Replication group " + id + " already exists.");
        }
        if (!Boolean.TRUE.equals(request.transitEncryptionEnabled())
                && !request.userGroupIds().isEmpty()) {
            throw new AwsFault(
                    "InvalidParameterCombination", 400, "User groups need encryption in transit to be enabled.");
        }
        if (!Boolean.TRUE.equals(request.transitEncryptionEnabled())) {
            throw new AwsFault("InvalidParameterValue", 400, "the test bed serves replication groups with TLS only");
        }
        if (Boolean.TRUE.equals(request.multiAZEnabled()) && !Boolean.TRUE.equals(request.automaticFailoverEnabled())) {
            throw new AwsFault(
                    "InvalidParameterCombination", 400, "Multi-AZ requires automatic failover to be enabled.");
        }
        int clusters = clusters(request);
        if (Boolean.TRUE.equals(request.automaticFailoverEnabled()) && clusters < 2) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Automatic failover needs at least one replica: NumCacheClusters of 2 or more.");
        }
        ParameterGroup parameters = parameterGroupOf(request.cacheParameterGroupName());
        List<UserGroupState> userGroupsOfRequest = new ArrayList<>();
        for (String userGroupId : request.userGroupIds()) {
            UserGroupState group = userGroupOf(userGroupId);
            if (!userGroupStatus(group).equals("active")) {
                throw new AwsFault("InvalidUserGroupState", 400, "User group " + userGroupId + " is not active.");
            }
            userGroupsOfRequest.add(group);
        }
        Path rdb = null;
        if (request.snapshotName() != null) {
            SnapshotState snapshot = snapshotOf(request.snapshotName());
            if (!snapshotStatus(snapshot).equals("available")) {
                throw new AwsFault(
                        "InvalidParameterValue", 400, "Snapshot " + snapshot.name() + " is not available yet.");
            }
            rdb = snapshot.rdb();
        }
        if (!request.tags().isEmpty()) {
            alsoNeeds("AddTagsToResource"); // as IAM has it: tagging on create is authorized as tagging
        }
        ManagedRedis server = ManagedRedis.start(workDirectory.resolve(id), certificates, rdb);
        try {
            userGroupsOfRequest.forEach(group -> group.userIds().forEach(user -> apply(server, users.get(user))));
            parameters.values().forEach((name, value) -> {
                if (APPLIED.contains(name)) {
                    server.set(name, value);
                }
            });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        servers.put(id, server);
        Group group = new Group(request, arn("replicationgroup", id), clock.instant(), null, null, null);
        groups.put(id, group);
        tag(group.arn(), request.tags());
        creations.merge(id, 1, Integer::sum);
        return CreateReplicationGroupResponse.builder()
                .replicationGroup(view(group))
                .build();
    }

    private DescribeReplicationGroupsResponse describe(DescribeReplicationGroupsRequest request) {
        List<ReplicationGroup> found = new ArrayList<>();
        if (request.replicationGroupId() != null) {
            found.add(view(groupOf(request.replicationGroupId())));
        } else {
            new TreeSet<>(groups.keySet())
                    .stream()
                            .map(this::present)
                            .filter(group -> group != null)
                            .forEach(group -> found.add(view(group)));
        }
        return DescribeReplicationGroupsResponse.builder()
                .replicationGroups(found)
                .build();
    }

    /**
     * Node type, engine version, parameter group, snapshot retention and windows, failover and Multi-AZ, and the user
     * groups, applied at once ({@code modifying} a while); the test bed applies nothing later, so
     * {@code ApplyImmediately} is required.
     */
    private synchronized ModifyReplicationGroupResponse modify(ModifyReplicationGroupRequest request) {
        Group group = groupOf(request.replicationGroupId());
        String status = status(group);
        if (!status.equals("available")) {
            throw new AwsFault(
                    "InvalidReplicationGroupState",
                    400,
                    "Replication group " + request.replicationGroupId() + " is " + status + ".");
        }
        if (!Boolean.TRUE.equals(request.applyImmediately())) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "the test bed applies modifications immediately only: set ApplyImmediately");
        }
        CreateReplicationGroupRequest.Builder changed = group.settings().toBuilder();
        if (request.cacheNodeType() != null) {
            changed.cacheNodeType(request.cacheNodeType());
        }
        if (request.engineVersion() != null) {
            changed.engineVersion(request.engineVersion());
        }
        if (request.snapshotRetentionLimit() != null) {
            changed.snapshotRetentionLimit(request.snapshotRetentionLimit());
        }
        if (request.snapshotWindow() != null) {
            changed.snapshotWindow(request.snapshotWindow());
        }
        if (request.preferredMaintenanceWindow() != null) {
            changed.preferredMaintenanceWindow(request.preferredMaintenanceWindow());
        }
        if (Boolean.TRUE.equals(request.automaticFailoverEnabled()) && clusters(group.settings()) < 2) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "Automatic failover needs at least one replica: add one (IncreaseReplicaCount) first.");
        }
        if (request.automaticFailoverEnabled() != null) {
            changed.automaticFailoverEnabled(request.automaticFailoverEnabled());
        }
        if (request.multiAZEnabled() != null) {
            changed.multiAZEnabled(request.multiAZEnabled());
        }
        if (request.cacheParameterGroupName() != null) {
            parameterGroupOf(request.cacheParameterGroupName()).values().forEach((name, value) -> {
                if (APPLIED.contains(name)) {
                    servers.get(group.settings().replicationGroupId()).set(name, value);
                }
            });
            changed.cacheParameterGroupName(request.cacheParameterGroupName());
        }
        Group modified =
                group.busy(changed.build(), "modifying", clock.instant().plus(timings.modifying()));
        groups.put(group.settings().replicationGroupId(), modified);
        return ModifyReplicationGroupResponse.builder()
                .replicationGroup(view(modified))
                .build();
    }

    /** Adds read replicas (at most 5), as ElastiCache does: the group is {@code modifying} a while. */
    private synchronized IncreaseReplicaCountResponse increaseReplicas(IncreaseReplicaCountRequest request) {
        Group changed = replicasChanged(
                request.replicationGroupId(), request.newReplicaCount(), request.applyImmediately(), true);
        return IncreaseReplicaCountResponse.builder()
                .replicationGroup(view(changed))
                .build();
    }

    /** Removes read replicas; a group with automatic failover keeps one, as ElastiCache requires. */
    private synchronized DecreaseReplicaCountResponse decreaseReplicas(DecreaseReplicaCountRequest request) {
        if (!request.replicasToRemove().isEmpty()) {
            throw new AwsFault("InvalidParameterValue", 400, "the test bed removes replicas by NewReplicaCount only");
        }
        Group changed = replicasChanged(
                request.replicationGroupId(), request.newReplicaCount(), request.applyImmediately(), false);
        return DecreaseReplicaCountResponse.builder()
                .replicationGroup(view(changed))
                .build();
    }

    /** The group with {@code replicas} replicas, {@code more} than now or fewer. */
    private Group replicasChanged(String id, Integer replicas, Boolean applyImmediately, boolean more) {
        Group group = groupOf(id);
        String status = status(group);
        if (!status.equals("available")) {
            throw new AwsFault("InvalidReplicationGroupState", 400, "Replication group " + id + " is " + status + ".");
        }
        if (!Boolean.TRUE.equals(applyImmediately)) {
            throw new AwsFault("InvalidParameterValue", 400, "ApplyImmediately must be true to change replicas.");
        }
        if (replicas == null || replicas < 0 || replicas > 5) {
            throw new AwsFault("InvalidParameterValue", 400, "NewReplicaCount must be 0 to 5.");
        }
        int now = clusters(group.settings()) - 1;
        if (replicas == now) {
            throw new AwsFault("NoOperationFault", 400, "The replication group has " + replicas + " replicas already.");
        }
        if (more != replicas > now) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "NewReplicaCount " + replicas + " is " + (more ? "fewer" : "more") + " than the group's " + now
                            + " replicas.");
        }
        if (replicas == 0 && Boolean.TRUE.equals(group.settings().automaticFailoverEnabled())) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "A replication group with automatic failover needs at least one replica: disable it first.");
        }
        Group changed = group.busy(
                group.settings().toBuilder().numCacheClusters(replicas + 1).build(),
                "modifying",
                clock.instant().plus(timings.modifying()));
        groups.put(id, changed);
        return changed;
    }

    private static int clusters(CreateReplicationGroupRequest settings) {
        return settings.numCacheClusters() == null ? 1 : settings.numCacheClusters();
    }

    private synchronized DeleteReplicationGroupResponse delete(DeleteReplicationGroupRequest request) {
        Group group = groupOf(request.replicationGroupId());
        String status = status(group);
        if (!status.equals("available") && !status.equals("create-failed")) {
            throw new AwsFault(
                    "InvalidReplicationGroupState",
                    400,
                    "Replication group " + request.replicationGroupId() + " is " + status + ".");
        }
        if (request.finalSnapshotIdentifier() != null) {
            alsoNeeds("CreateSnapshot"); // as IAM has it: a final snapshot is authorized as a snapshot
            snapshot(request.finalSnapshotIdentifier(), group, "manual");
        }
        Group deleting = group.deleting(clock.instant());
        groups.put(group.settings().replicationGroupId(), deleting);
        return DeleteReplicationGroupResponse.builder()
                .replicationGroup(view(deleting))
                .build();
    }

    private Group groupOf(String id) {
        Group group = present(id);
        if (group == null) {
            throw new AwsFault("ReplicationGroupNotFoundFault", 404, "Replication group " + id + " not found.");
        }
        return group;
    }

    /** The group, unless its deletion has finished: then it is forgotten and its server stopped. */
    private synchronized Group present(String id) {
        Group group = groups.get(id);
        if (group != null && group.deleteStarted() != null && over(group.deleteStarted(), timings.deleting())) {
            groups.remove(id);
            tagsByArn.remove(group.arn());
            ManagedRedis server = servers.remove(id);
            if (server != null) {
                server.close();
            }
            return null;
        }
        return group;
    }

    private String status(Group group) {
        if (group.deleteStarted() != null) {
            return "deleting";
        }
        if (!over(group.created(), timings.creating())) {
            return "creating";
        }
        return group.busyStatus() != null && clock.instant().isBefore(group.busyUntil())
                ? group.busyStatus()
                : "available";
    }

    private ReplicationGroup view(Group group) {
        CreateReplicationGroupRequest settings = group.settings();
        String id = settings.replicationGroupId();
        String status = status(group);
        int clusters = clusters(settings);
        NodeGroup.Builder nodes = NodeGroup.builder().nodeGroupId("0001").status(status);
        ManagedRedis server = servers.get(id);
        if (server != null && !status.equals("creating")) {
            Endpoint endpoint =
                    Endpoint.builder().address("127.0.0.1").port(server.port()).build();
            nodes.primaryEndpoint(endpoint).readerEndpoint(endpoint);
        }
        return ReplicationGroup.builder()
                .replicationGroupId(id)
                .description(settings.replicationGroupDescription())
                .status(status)
                .memberClusters(IntStream.rangeClosed(1, clusters)
                        .mapToObj(n -> id + String.format("-%03d", n))
                        .toList())
                .nodeGroups(nodes.build())
                .automaticFailover(Boolean.TRUE.equals(settings.automaticFailoverEnabled()) ? "enabled" : "disabled")
                .multiAZ(Boolean.TRUE.equals(settings.multiAZEnabled()) ? "enabled" : "disabled")
                .snapshotRetentionLimit(
                        settings.snapshotRetentionLimit() == null ? 0 : settings.snapshotRetentionLimit())
                .snapshotWindow(settings.snapshotWindow() == null ? "03:00-04:00" : settings.snapshotWindow())
                .clusterEnabled(false)
                .cacheNodeType(settings.cacheNodeType())
                .authTokenEnabled(false)
                .transitEncryptionEnabled(Boolean.TRUE.equals(settings.transitEncryptionEnabled()))
                .atRestEncryptionEnabled(Boolean.TRUE.equals(settings.atRestEncryptionEnabled()))
                .kmsKeyId(settings.kmsKeyId())
                .arn(group.arn())
                .userGroupIds(settings.userGroupIds())
                .replicationGroupCreateTime(group.created())
                .engine(settings.engine() == null ? "redis" : settings.engine())
                .build();
    }

    // --- snapshots

    private synchronized CreateSnapshotResponse createSnapshot(CreateSnapshotRequest request) {
        if (request.replicationGroupId() == null) {
            throw new AwsFault(
                    "InvalidParameterCombination", 400, "the test bed snapshots replication groups: name one");
        }
        Group group = groupOf(request.replicationGroupId());
        if (!status(group).equals("available")) {
            throw new AwsFault(
                    "InvalidReplicationGroupState",
                    400,
                    "Replication group " + request.replicationGroupId() + " is " + status(group) + ".");
        }
        SnapshotState snapshot = snapshot(request.snapshotName(), group, "manual");
        tag(snapshot.arn(), request.tags());
        groups.put(
                request.replicationGroupId(),
                group.busy(group.settings(), "snapshotting", clock.instant().plus(timings.backingUp())));
        return CreateSnapshotResponse.builder().snapshot(view(snapshot)).build();
    }

    private SnapshotState snapshot(String name, Group group, String source) {
        if (snapshots.containsKey(name)) {
            throw new AwsFault("SnapshotAlreadyExistsFault", 400, "Snapshot " + name + " already exists.");
        }
        String id = group.settings().replicationGroupId();
        Path rdb = workDirectory.resolve("snapshots").resolve(name + ".rdb");
        servers.get(id).saveTo(rdb);
        SnapshotState snapshot =
                new SnapshotState(name, group.settings(), arn("snapshot", name), source, rdb, clock.instant());
        snapshots.put(name, snapshot);
        tagsByArn.putIfAbsent(snapshot.arn(), new LinkedHashMap<>());
        return snapshot;
    }

    private DescribeSnapshotsResponse describeSnapshots(DescribeSnapshotsRequest request) {
        List<Snapshot> found = new ArrayList<>();
        if (request.snapshotName() != null) {
            found.add(view(snapshotOf(request.snapshotName())));
        } else {
            new TreeMap<>(snapshots)
                    .values().stream()
                            .filter(snapshot -> request.replicationGroupId() == null
                                    || request.replicationGroupId()
                                            .equals(snapshot.settings().replicationGroupId()))
                            .forEach(snapshot -> found.add(view(snapshot)));
        }
        return DescribeSnapshotsResponse.builder().snapshots(found).build();
    }

    private synchronized DeleteSnapshotResponse deleteSnapshot(DeleteSnapshotRequest request) {
        SnapshotState snapshot = snapshotOf(request.snapshotName());
        if (!snapshotStatus(snapshot).equals("available")) {
            throw new AwsFault("InvalidSnapshotState", 400, "Snapshot " + snapshot.name() + " is being created.");
        }
        snapshots.remove(snapshot.name());
        tagsByArn.remove(snapshot.arn());
        snapshot.rdb().toFile().delete();
        return DeleteSnapshotResponse.builder()
                .snapshot(view(snapshot).toBuilder().snapshotStatus("deleting").build())
                .build();
    }

    private SnapshotState snapshotOf(String name) {
        SnapshotState snapshot = snapshots.get(name);
        if (snapshot == null) {
            throw new AwsFault("SnapshotNotFoundFault", 404, "Snapshot " + name + " not found.");
        }
        return snapshot;
    }

    private String snapshotStatus(SnapshotState snapshot) {
        return over(snapshot.created(), timings.backingUp()) ? "available" : "creating";
    }

    private Snapshot view(SnapshotState snapshot) {
        CreateReplicationGroupRequest settings = snapshot.settings();
        return Snapshot.builder()
                .snapshotName(snapshot.name())
                .replicationGroupId(settings.replicationGroupId())
                .replicationGroupDescription(settings.replicationGroupDescription())
                .snapshotStatus(snapshotStatus(snapshot))
                .snapshotSource(snapshot.source())
                .cacheNodeType(settings.cacheNodeType())
                .engine(settings.engine() == null ? "redis" : settings.engine())
                .engineVersion(settings.engineVersion())
                .numNodeGroups(1)
                .kmsKeyId(settings.kmsKeyId())
                .arn(snapshot.arn())
                .build();
    }

    // --- parameter groups

    private synchronized CreateCacheParameterGroupResponse createParameterGroup(
            CreateCacheParameterGroupRequest request) {
        String name = request.cacheParameterGroupName();
        if (parameterGroups.containsKey(name)) {
            throw new AwsFault(
                    "CacheParameterGroupAlreadyExists", 400, "Cache parameter group " + name + " already exists.");
        }
        if (!FAMILY.equals(request.cacheParameterGroupFamily())) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "the test bed serves family " + FAMILY + " only, not " + request.cacheParameterGroupFamily());
        }
        ParameterGroup group =
                new ParameterGroup(name, arn("parametergroup", name), request.description(), new ConcurrentHashMap<>());
        parameterGroups.put(name, group);
        tag(group.arn(), request.tags());
        if (!request.tags().isEmpty()) {
            alsoNeeds("AddTagsToResource");
        }
        return CreateCacheParameterGroupResponse.builder()
                .cacheParameterGroup(view(group))
                .build();
    }

    /** Sets values, which the servers of every group using it take at once, as dynamic parameters. */
    private synchronized ModifyCacheParameterGroupResponse modifyParameterGroup(
            ModifyCacheParameterGroupRequest request) {
        ParameterGroup group = parameterGroupOf(request.cacheParameterGroupName());
        if (group.name().startsWith("default.")) {
            throw new AwsFault("InvalidParameterValue", 400, "A default parameter group cannot be modified.");
        }
        request.parameterNameValues()
                .forEach(value -> group.values().put(value.parameterName(), value.parameterValue()));
        groups.keySet().stream()
                .map(this::present)
                .filter(using ->
                        using != null && group.name().equals(using.settings().cacheParameterGroupName()))
                .forEach(using -> request.parameterNameValues().forEach(value -> {
                    if (APPLIED.contains(value.parameterName())) {
                        servers.get(using.settings().replicationGroupId())
                                .set(value.parameterName(), value.parameterValue());
                    }
                }));
        return ModifyCacheParameterGroupResponse.builder()
                .cacheParameterGroupName(group.name())
                .build();
    }

    private DescribeCacheParameterGroupsResponse describeParameterGroups(DescribeCacheParameterGroupsRequest request) {
        List<CacheParameterGroup> found = new ArrayList<>();
        if (request.cacheParameterGroupName() != null) {
            found.add(view(parameterGroupOf(request.cacheParameterGroupName())));
        } else {
            new TreeMap<>(parameterGroups).values().forEach(group -> found.add(view(group)));
        }
        return DescribeCacheParameterGroupsResponse.builder()
                .cacheParameterGroups(found)
                .build();
    }

    private synchronized DeleteCacheParameterGroupResponse deleteParameterGroup(
            DeleteCacheParameterGroupRequest request) {
        ParameterGroup group = parameterGroupOf(request.cacheParameterGroupName());
        boolean used = groups.keySet().stream()
                .map(this::present)
                .anyMatch(using ->
                        using != null && group.name().equals(using.settings().cacheParameterGroupName()));
        if (used || group.name().startsWith("default.")) {
            throw new AwsFault(
                    "InvalidCacheParameterGroupState",
                    400,
                    "Cache parameter group " + group.name() + " is a default one or in use.");
        }
        parameterGroups.remove(group.name());
        tagsByArn.remove(group.arn());
        return DeleteCacheParameterGroupResponse.builder().build();
    }

    /** A group of the account, or ElastiCache's default of the family when none is named. */
    private ParameterGroup parameterGroupOf(String name) {
        if (name == null || name.equals("default." + FAMILY)) {
            return new ParameterGroup("default." + FAMILY, arn("parametergroup", "default." + FAMILY), "", Map.of());
        }
        ParameterGroup group = parameterGroups.get(name);
        if (group == null) {
            throw new AwsFault("CacheParameterGroupNotFound", 404, "Cache parameter group " + name + " not found.");
        }
        return group;
    }

    private CacheParameterGroup view(ParameterGroup group) {
        return CacheParameterGroup.builder()
                .cacheParameterGroupName(group.name())
                .cacheParameterGroupFamily(FAMILY)
                .description(group.description())
                .isGlobal(false)
                .arn(group.arn())
                .build();
    }

    // --- tags

    private AddTagsToResourceResponse addTags(AddTagsToResourceRequest request) {
        Map<String, String> tags = tagsOf(request.resourceName());
        request.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        return AddTagsToResourceResponse.builder()
                .tagList(tagList(request.resourceName()))
                .build();
    }

    private ListTagsForResourceResponse listTags(ListTagsForResourceRequest request) {
        tagsOf(request.resourceName());
        return ListTagsForResourceResponse.builder()
                .tagList(tagList(request.resourceName()))
                .build();
    }

    private void tag(String arn, List<Tag> tags) {
        Map<String, String> kept = new LinkedHashMap<>();
        tags.forEach(tag -> kept.put(tag.key(), tag.value()));
        tagsByArn.put(arn, kept);
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = tagsByArn.get(arn);
        if (tags == null) {
            throw new AwsFault("InvalidARN", 400, "No resource of ARN " + arn + ".");
        }
        return tags;
    }

    private List<Tag> tagList(String arn) {
        return tagsByArn.getOrDefault(arn, Map.of()).entrySet().stream()
                .map(tag ->
                        Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
    }

    // --- for tests

    /** An SDK client of this fake, signing with {@code key}: how a test looks at what the fake holds. */
    public ElastiCacheClient client(AccessKeys.Key key) {
        return client(ElastiCacheClient.builder(), key);
    }

    /** How many replication groups of this id were created, ever: a step that converges creates once. */
    public int creations(String replicationGroupId) {
        return creations.getOrDefault(replicationGroupId, 0);
    }

    /** What exists now, deleting ones included: replication groups, user groups, users, parameter groups. */
    public Set<String> resources() {
        Set<String> all = new TreeSet<>();
        groups.keySet().stream().filter(id -> present(id) != null).forEach(id -> all.add("replication group " + id));
        userGroups.keySet().stream()
                .filter(id -> presentUserGroup(id) != null)
                .forEach(id -> all.add("user group " + id));
        users.keySet().stream().filter(id -> presentUser(id) != null).forEach(id -> all.add("user " + id));
        parameterGroups.keySet().forEach(name -> all.add("parameter group " + name));
        return all;
    }

    /** The names of the snapshots kept now. */
    public Set<String> snapshotNames() {
        return snapshots.keySet().stream().collect(Collectors.toCollection(TreeSet::new));
    }

    /** Stops every replication group's server. */
    @Override
    public void close() {
        super.close();
        servers.values().forEach(ManagedRedis::close);
        servers.clear();
    }

    private boolean over(Instant started, Duration lasting) {
        return !clock.instant().isBefore(started.plus(lasting));
    }

    private String arn(String type, String name) {
        return "arn:aws:elasticache:" + region + ":" + ACCOUNT + ":" + type + ":" + name;
    }

    /** The members of {@code from} set on {@code to} by name: a result whose members are another shape's. */
    private static <B extends SdkPojo & SdkBuilder<B, R>, R> R copy(SdkPojo from, B to) {
        Map<String, Object> values = new LinkedHashMap<>();
        from.sdkFields().forEach(field -> values.put(field.memberName(), field.getValueOrDefault(from)));
        for (SdkField<?> field : to.sdkFields()) {
            Object value = values.get(field.memberName());
            if (value != null) {
                field.set(to, value);
            }
        }
        return to.build();
    }
}
