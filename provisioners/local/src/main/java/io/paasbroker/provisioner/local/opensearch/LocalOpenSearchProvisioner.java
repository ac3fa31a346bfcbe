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
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenSearch with the security plugin on clusters the operator runs: an instance is an index prefix on a shared
 * cluster, each binding an internal user with rights over that prefix alone ({@link OpenSearchTenancy}).
 */
public final class LocalOpenSearchProvisioner extends LocalProvisioner implements AutoCloseable {

    private final ServerAdmins<OpenSearchAdmin> servers;
    private final InstanceBackups backups;

    /** Two servers with one name are refused. */
    public LocalOpenSearchProvisioner(List<OpenSearchServer> servers) {
        super(ServiceKind.OPENSEARCH);
        this.servers = ServerAdmins.uniquelyNamed(
                "OpenSearch",
                servers,
                OpenSearchServer::name,
                OpenSearchAdmin::new,
                plan -> PlanProperties.read(plan, LocalOpenSearchPlan.class).server());
        this.backups = OpenSearchTenancy.backups(this::tenancy);
    }

    @Override
    public void checkPlan(Plan plan) {
        servers.require(
                plan, PlanProperties.read(plan, LocalOpenSearchPlan.class).server());
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        String indexPrefix = tenancy(request).createInstance(request.instanceId());
        return StepOutcome.Completed.with(
                Map.of("server", servers.admin(request).server().name(), "index_prefix", indexPrefix));
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

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        tenancy(request).removeInstance(request.instanceId());
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        return tenancy(instance).bind(instance.instanceId(), request.bindingId(), request.readOnly());
    }

    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        tenancy(instance).unbind(instance.instanceId(), request.bindingId());
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

    private OpenSearchTenancy tenancy(InstanceRequest instance) {
        return new OpenSearchTenancy(servers.admin(instance));
    }

    @Override
    public void close() {
        servers.close();
    }
}
