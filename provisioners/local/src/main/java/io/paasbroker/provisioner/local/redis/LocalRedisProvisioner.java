package io.paasbroker.provisioner.local.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.RedisCredentials;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Redis 7 on servers the operator runs: an instance is a key prefix on a shared server, and each binding an ACL user
 * confined to that prefix's keys and channels (see {@link RedisAclRules}). Users are saved to the server's aclfile
 * after every change.
 */
public final class LocalRedisProvisioner extends LocalProvisioner implements AutoCloseable {

    /** One set of event-loop threads for the connections to all servers. */
    private final ClientResources resources = DefaultClientResources.create();

    private final ServerAdmins<RedisAdmin> servers;
    private final RedisBackups backups;

    /** Two servers with one name are refused. */
    public LocalRedisProvisioner(List<RedisServer> servers) {
        super(ServiceKind.REDIS);
        this.servers = ServerAdmins.uniquelyNamed(
                "Redis",
                servers,
                RedisServer::name,
                server -> new RedisAdmin(server, resources),
                plan -> PlanProperties.read(plan, LocalRedisPlan.class).server());
        this.backups = new RedisBackups(this.servers);
    }

    @Override
    public void checkPlan(Plan plan) {
        LocalRedisPlan properties = PlanProperties.read(plan, LocalRedisPlan.class);
        servers.require(plan, properties.server(), properties.requireTls());
    }

    /** The prefix needs nothing on the server; what is checked is that the server answers to the admin. */
    @Override
    public StepOutcome provision(InstanceRequest request) {
        RedisAdmin admin = servers.admin(request);
        admin.ping();
        return StepOutcome.Completed.with(
                Map.of("server", admin.server().name(), "key_prefix", RedisNames.keyPrefix(request.instanceId())));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        servers.requireSameServer(from, to);
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        checkPlanChange(request.previousPlan(), request.instance().plan());
        return provision(request.instance());
    }

    /** Users first: that closes the tenants' connections, so no key is written behind the scan. */
    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        RedisAdmin admin = servers.admin(request);
        admin.deleteUsers(admin.usersStartingWith(RedisNames.userPrefix(request.instanceId())));
        admin.saveAcl();
        admin.unlinkKeysStartingWith(RedisNames.keyPrefix(request.instanceId()));
        return StepOutcome.Completed.with(Map.of());
    }

    /** Re-running it resets the user: the new password replaces the old one, and there is still one user. */
    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        RedisAdmin admin = servers.admin(instance);
        if (PlanProperties.read(instance.plan(), LocalRedisPlan.class).requireTls()) {
            int plaintext = admin.plaintextPort();
            if (plaintext != 0) {
                throw new ProvisioningFailedException("the plan requires TLS, but Redis server '"
                        + admin.server().name() + "' also accepts plaintext connections on port " + plaintext
                        + " (Redis cannot refuse them per user): its operator must set port 0");
            }
        }
        String keyPrefix = RedisNames.keyPrefix(instance.instanceId());
        String user = RedisNames.bindingUser(instance.instanceId(), request.bindingId());
        String password = Passwords.generate();
        admin.setUser(user, RedisAclRules.forBinding(user, keyPrefix, password, request.readOnly()));
        admin.saveAcl();
        RedisServer server = admin.server();
        // user and password are hex and alphanumeric (checked by RedisAclRules): safe in a URI as they are
        return new RedisCredentials(
                        server.publicHost(),
                        server.publicPort(),
                        user,
                        password,
                        keyPrefix,
                        server.tls(),
                        request.readOnly())
                .toCredentials();
    }

    /** Saves even when the user is gone already: a run that stopped between delete and save left it in the file. */
    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        RedisAdmin admin = servers.admin(instance);
        admin.deleteUsers(List.of(RedisNames.bindingUser(instance.instanceId(), request.bindingId())));
        admin.saveAcl();
    }

    @Override
    public Health health() {
        return servers.health(admin -> {
            RedisAdmin.Report report = admin.report();
            return report.problems().isEmpty()
                    ? ServerAdmins.Status.up("Redis " + report.version())
                    : ServerAdmins.Status.problem(
                            "Redis " + report.version() + ": " + String.join("; ", report.problems()));
        });
    }

    @Override
    public Optional<AdminPasswordRotation> adminPasswordRotation() {
        return Optional.of(servers);
    }

    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(backups);
    }

    @Override
    public void close() {
        servers.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
