package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.credentials.RedisCredentials;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.elasticache.model.DescribeUserGroupsResponse;
import software.amazon.awssdk.services.elasticache.model.DescribeUsersResponse;
import software.amazon.awssdk.services.elasticache.model.InvalidUserGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidUserStateException;
import software.amazon.awssdk.services.elasticache.model.User;
import software.amazon.awssdk.services.elasticache.model.UserAlreadyExistsException;
import software.amazon.awssdk.services.elasticache.model.UserGroup;
import software.amazon.awssdk.services.elasticache.model.UserGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.UserNotFoundException;

/**
 * The ElastiCache RBAC users of the instances: a user per binding (read-only where asked), added to its instance's
 * user group on bind and deleted on unbind, with a password derived from the instance's secret and the binding's id;
 * and the lookups of users and user groups the instance's own steps need.
 */
final class CacheUsers {

    private static final String BIND = "bind";
    private static final String UNBIND = "unbind";

    private final ElastiCacheRedisProvisioner provisioner;
    private final AwsClients clients;
    private final MasterPasswords secrets;
    private final String prefix;

    CacheUsers(ElastiCacheRedisProvisioner provisioner, AwsClients clients, MasterPasswords secrets, String prefix) {
        this.provisioner = provisioner;
        this.clients = clients;
        this.secrets = secrets;
        this.prefix = prefix;
    }

    BindOutcome startBind(BindRequest request) {
        InstanceRequest instance = request.instance();
        CachePlan plan = ElastiCacheRedisProvisioner.plan(instance.plan());
        String user = userOf(request);
        AwsCalls.ignoring(
                UserAlreadyExistsException.class,
                "creating ElastiCache user " + user,
                () -> provisioner
                        .cache(plan)
                        .createUser(b -> b.userId(user)
                                .userName(user)
                                .engine(plan.engine())
                                .accessString(CacheAccess.forBinding(request.readOnly()))
                                .passwords(password(instance.instanceId(), request.bindingId()))
                                .tags(provisioner.tags(instance))));
        return pollBind(request, BIND);
    }

    /**
     * Adds the binding's user to the instance's user group once the group takes changes; the binding is done once the
     * group is active with the user in it, which is when ElastiCache serves the user.
     */
    BindOutcome pollBind(BindRequest request, String reference) {
        InstanceRequest instance = request.instance();
        CachePlan plan = ElastiCacheRedisProvisioner.plan(instance.plan());
        String id = provisioner.replicationGroupId(instance.instanceId());
        String user = userOf(request);
        UserGroup group = userGroup(plan, id)
                .orElseThrow(() -> new ProvisioningFailedException("ElastiCache user group " + id
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        boolean member = group.userIds().contains(user);
        if (member && group.status().equals("active")) {
            return new BindOutcome.Bound(credentials(request, plan, user));
        }
        if (!member && group.status().equals("active")) {
            AwsCalls.ignoring(
                    InvalidUserGroupStateException.class,
                    "adding user " + user + " to ElastiCache user group " + id,
                    () -> provisioner
                            .cache(plan)
                            .modifyUserGroup(b -> b.userGroupId(id).userIdsToAdd(user)));
        }
        return new StepOutcome.InProgress(reference, "ElastiCache is adding user " + user + " to user group " + id);
    }

    /** The binding's ElastiCache user, under its instance's group. */
    private String userOf(BindRequest request) {
        return CacheNames.bindingUser(prefix, request.instance().instanceId(), request.bindingId());
    }

    private Credentials credentials(BindRequest request, CachePlan plan, String user) {
        Map<String, String> outputs = request.instance().outputs();
        if (outputs.get("host") == null || outputs.get("port") == null) {
            throw new ProvisioningFailedException(
                    "the broker has no endpoint of this instance's replication group: its provision did not complete");
        }
        return new RedisCredentials(
                        outputs.get("host"),
                        Integer.parseInt(outputs.get("port")),
                        user,
                        password(request.instance().instanceId(), request.bindingId()),
                        null,
                        ServerTls.verifiedBy(clients.account(plan.account()).cacheCaCertificate()),
                        request.readOnly())
                .toCredentials();
    }

    /** Deletes the binding's user: ElastiCache takes it out of the user group and off the nodes, closing its connections. */
    StepOutcome startUnbind(BindRequest request) {
        CachePlan plan = ElastiCacheRedisProvisioner.plan(request.instance().plan());
        String user = userOf(request);
        if (!deleteUser(plan, user)) {
            return StepOutcome.Completed.with(Map.of());
        }
        return new StepOutcome.InProgress(UNBIND, "ElastiCache is deleting user " + user);
    }

    /** Done once ElastiCache no longer has the user; a user still active (its deletion refused) is deleted again. */
    StepOutcome pollUnbind(BindRequest request, String reference) {
        CachePlan plan = ElastiCacheRedisProvisioner.plan(request.instance().plan());
        String user = userOf(request);
        Optional<User> found = user(plan, user);
        if (found.isEmpty()) {
            return StepOutcome.Completed.with(Map.of());
        }
        if (!found.get().status().equals("deleting")) {
            return startUnbind(request);
        }
        return new StepOutcome.InProgress(reference, "ElastiCache is deleting user " + user);
    }

    /** The instance's users ElastiCache has, deleting ones included. */
    List<User> usersOf(CachePlan plan, String instanceId) {
        String ids = CacheNames.usersOf(prefix, instanceId);
        return AwsCalls.call(
                "listing ElastiCache users",
                () -> provisioner.cache(plan).describeUsersPaginator(b -> {}).users().stream()
                        .filter(user -> user.userId().startsWith(ids))
                        .toList());
    }

    /**
     * The password of a user of the instance ({@code who}: a binding's id, or {@code default}): HMAC-SHA256 of it
     * under the instance's secret, 64 hex digits, within ElastiCache's 16 to 128 printable characters.
     */
    String password(String instanceId, String who) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secrets.of(instanceId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(who.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }

    Optional<UserGroup> userGroup(CachePlan plan, String id) {
        return AwsCalls.find(
                "reading ElastiCache user group " + id,
                () -> provisioner.cache(plan).describeUserGroups(b -> b.userGroupId(id)),
                DescribeUserGroupsResponse::userGroups,
                UserGroupNotFoundException.class);
    }

    private Optional<User> user(CachePlan plan, String id) {
        return AwsCalls.find(
                "reading ElastiCache user " + id,
                () -> provisioner.cache(plan).describeUsers(b -> b.userId(id)),
                DescribeUsersResponse::users,
                UserNotFoundException.class);
    }

    /** Deletes the user, or sees it is being deleted; answers false when ElastiCache has no such user. */
    boolean deleteUser(CachePlan plan, String user) {
        try {
            AwsCalls.call(
                    "deleting ElastiCache user " + user,
                    () -> provisioner.cache(plan).deleteUser(b -> b.userId(user)));
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof UserNotFoundException) {
                return false;
            }
            if (!(e.getCause() instanceof InvalidUserStateException)) {
                throw e;
            }
        }
        return true;
    }
}
