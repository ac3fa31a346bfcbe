package io.paasbroker.provisioner.local.opensearch;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.OpenSearchCredentials;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.PolicyPasswords;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenSearch with the security plugin on clusters the operator runs: an instance is an index prefix on a shared
 * cluster with two roles over it (read-write and read-only, see {@link OpenSearchRoles}), and each binding an internal
 * user that carries the backend role one of them is mapped from. OpenSearch checks credentials on every request, so
 * deleting a user revokes its binding at once.
 *
 * <p>Every step is a sequence of create-or-replace ({@code PUT}) and delete-if-present requests: a step run again
 * after a crash finds what the first run made and completes it.
 */
public final class LocalOpenSearchProvisioner extends LocalProvisioner implements AutoCloseable {

    private final ServerAdmins<OpenSearchAdmin> servers;
    private final OpenSearchBackups backups;

    /** Two servers with one name are refused. */
    public LocalOpenSearchProvisioner(List<OpenSearchServer> servers) {
        super(ServiceKind.OPENSEARCH);
        this.servers = ServerAdmins.uniquelyNamed(
                "OpenSearch",
                servers,
                OpenSearchServer::name,
                OpenSearchAdmin::new,
                plan -> PlanProperties.read(plan, LocalOpenSearchPlan.class).server());
        this.backups = new OpenSearchBackups(this.servers::admin);
    }

    @Override
    public void checkPlan(Plan plan) {
        servers.require(
                plan, PlanProperties.read(plan, LocalOpenSearchPlan.class).server());
    }

    /** The roles, then their mappings: a user bound later gets its rights through the mapping alone. */
    @Override
    public StepOutcome provision(InstanceRequest request) {
        OpenSearchAdmin admin = servers.admin(request);
        String instanceId = request.instanceId();
        String writeRole = OpenSearchNames.writeRole(instanceId);
        String readRole = OpenSearchNames.readRole(instanceId);
        admin.putRole(writeRole, OpenSearchRoles.readWrite(instanceId));
        admin.putRole(readRole, OpenSearchRoles.readOnly(instanceId));
        admin.putRoleMapping(writeRole, OpenSearchRoles.mappingFromBackendRole(writeRole));
        admin.putRoleMapping(readRole, OpenSearchRoles.mappingFromBackendRole(readRole));
        return StepOutcome.Completed.with(
                Map.of("server", admin.server().name(), "index_prefix", OpenSearchNames.indexPrefix(instanceId)));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        servers.requireSameServer(from, to);
    }

    /** Writes the roles again, so a plan change picks up what this version of the broker grants. */
    @Override
    public StepOutcome update(UpdateRequest request) {
        checkPlanChange(request.previousPlan(), request.instance().plan());
        return provision(request.instance());
    }

    /**
     * Users first, so nothing writes while the indices go; then the indices, by name; then the roles. Each part finds
     * what is left of it, so a run that stopped half-way is completed by the next.
     */
    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        OpenSearchAdmin admin = servers.admin(request);
        String instanceId = request.instanceId();
        admin.usersStartingWith(OpenSearchNames.userPrefix(instanceId)).forEach(admin::deleteUser);
        admin.deleteIndices(admin.indicesWithPrefix(OpenSearchNames.indexPrefix(instanceId)));
        for (String role : List.of(OpenSearchNames.writeRole(instanceId), OpenSearchNames.readRole(instanceId))) {
            admin.deleteRoleMapping(role);
            admin.deleteRole(role);
        }
        return StepOutcome.Completed.with(Map.of());
    }

    /** Re-running it resets the user: the new password replaces the old one, and there is still one user. */
    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        OpenSearchAdmin admin = servers.admin(instance);
        String instanceId = instance.instanceId();
        String user = OpenSearchNames.bindingUser(instanceId, request.bindingId());
        String role = request.readOnly() ? OpenSearchNames.readRole(instanceId) : OpenSearchNames.writeRole(instanceId);
        String password = PolicyPasswords.generate();
        admin.putUser(user, password, List.of(role));
        OpenSearchServer server = admin.server();
        // the user is hex and underscores, the password unreserved characters only: safe in a URI as they are
        return new OpenSearchCredentials(
                        server.publicHost(),
                        server.publicPort(),
                        user,
                        password,
                        OpenSearchNames.indexPrefix(instanceId),
                        server.tls(),
                        request.readOnly())
                .toCredentials();
    }

    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        servers.admin(instance).deleteUser(OpenSearchNames.bindingUser(instance.instanceId(), request.bindingId()));
    }

    /** Each server's version; a server that answers without credentials is a problem, as it isolates no one. */
    @Override
    public Health health() {
        return servers.health(admin -> {
            String version = "OpenSearch " + admin.version();
            return admin.answersAnonymously()
                    ? ServerAdmins.Status.problem(version + ": answers requests without credentials (anonymous access"
                            + " or no security plugin): tenants are not isolated")
                    : ServerAdmins.Status.up(version);
        });
    }

    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(backups);
    }

    @Override
    public Optional<AdminPasswordRotation> adminPasswordRotation() {
        return Optional.of(servers);
    }

    @Override
    public void close() {
        servers.close();
    }
}
