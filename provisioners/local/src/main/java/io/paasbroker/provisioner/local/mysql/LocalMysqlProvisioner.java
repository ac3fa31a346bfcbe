package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.AdminPool.strings;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MySQL 8 and MariaDB 10.11+ on servers the operator runs, in the tenancy of {@link MysqlTenancy}: a database per
 * instance, and a user per binding with privileges on that database only.
 */
public final class LocalMysqlProvisioner extends LocalProvisioner implements AutoCloseable {

    private final ServerAdmins<MysqlAdmin> servers;
    private final MysqlBackups backups;

    /** Two servers with one name are refused; mariadb-dump and mariadb (or mysqldump and mysql) are on the PATH. */
    public LocalMysqlProvisioner(List<MysqlServer> servers) {
        this(servers, MysqlBackups.defaultPrograms());
    }

    /**
     * Two servers with one name are refused.
     *
     * @param clientPrograms where {@code mariadb-dump} and {@code mariadb} (or {@code mysqldump} and {@code mysql})
     *     are; an embedded MariaDB has them in its base directory's {@code bin}
     */
    /** Where the client programs backups need are looked for by default: the PATH, then /usr/local/mysql/bin. */
    public static ClientPrograms defaultClientPrograms() {
        return MysqlBackups.defaultPrograms();
    }

    public LocalMysqlProvisioner(List<MysqlServer> servers, ClientPrograms clientPrograms) {
        super(ServiceKind.MYSQL);
        this.servers = ServerAdmins.uniquelyNamed(
                "MySQL",
                servers,
                MysqlServer::name,
                MysqlAdmin::new,
                plan -> PlanProperties.read(plan, LocalMysqlPlan.class).server());
        this.backups = new MysqlBackups(this.servers, clientPrograms);
    }

    @Override
    public void checkPlan(Plan plan) {
        LocalMysqlPlan properties = PlanProperties.read(plan, LocalMysqlPlan.class);
        servers.require(plan, properties.server(), properties.requireTls());
        if (properties.maxUserConnections() != null && properties.maxUserConnections() < 1) {
            throw new InvalidPlanException(
                    "plan '" + plan.name() + "' (" + plan.id() + "): max_user_connections must be at least 1");
        }
        if (properties.maxQueriesPerHour() != null && properties.maxQueriesPerHour() < 1) {
            throw new InvalidPlanException(
                    "plan '" + plan.name() + "' (" + plan.id() + "): max_queries_per_hour must be at least 1");
        }
        if (properties.maxStatementTime() != null && !(properties.maxStatementTime() > 0)) {
            throw new InvalidPlanException(
                    "plan '" + plan.name() + "' (" + plan.id() + "): max_statement_time must be above 0 seconds");
        }
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        String database = tenancy(request).createDatabase(request.instanceId());
        return StepOutcome.Completed.with(
                Map.of("server", servers.admin(request).server().name(), "database", database));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        servers.requireSameServer(from, to);
    }

    /** A plan change moves the bindings' limits; the database stays where it is. */
    @Override
    public StepOutcome update(UpdateRequest request) {
        checkPlanChange(request.previousPlan(), request.instance().plan());
        String limits = plan(request.instance().plan()).userLimits(plan(request.previousPlan()));
        StepOutcome outcome = provision(request.instance());
        tenancy(request.instance()).limitUsers(request.instance().instanceId(), limits);
        return outcome;
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        tenancy(request).dropDatabase(request.instanceId());
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        String database = MysqlNames.database(instance.instanceId());
        return tenancy(instance)
                .bind(
                        database,
                        instance.instanceId(),
                        request.bindingId(),
                        request.readOnly(),
                        plan(instance).userLimits(null));
    }

    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        tenancy(instance)
                .unbind(MysqlNames.database(instance.instanceId()), instance.instanceId(), request.bindingId());
    }

    private MysqlTenancy tenancy(InstanceRequest request) {
        return new MysqlTenancy(servers.admin(request));
    }

    @Override
    public Health health() {
        return servers.health(admin -> {
            String version = admin.onServer(
                    "checking the server", c -> strings(c, "SELECT VERSION()").get(0));
            return ServerAdmins.Status.up(product(version));
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
    }

    private static LocalMysqlPlan plan(InstanceRequest request) {
        return plan(request.plan());
    }

    private static LocalMysqlPlan plan(Plan plan) {
        return PlanProperties.read(plan, LocalMysqlPlan.class);
    }

    /** {@code 11.4.5-MariaDB-log} → {@code MariaDB 11.4.5}; {@code 8.0.36} → {@code MySQL 8.0.36}. */
    private static String product(String version) {
        int mariadb = version.indexOf("-MariaDB");
        return mariadb < 0 ? "MySQL " + version : "MariaDB " + version.substring(0, mariadb);
    }
}
