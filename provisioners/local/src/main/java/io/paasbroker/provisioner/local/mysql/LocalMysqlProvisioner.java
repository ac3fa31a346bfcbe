package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.AdminPool.exists;
import static io.paasbroker.provisioner.local.common.AdminPool.strings;
import static io.paasbroker.provisioner.local.mysql.MysqlAdmin.execute;

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
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.MysqlCredentials;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.PolicyPasswords;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MySQL 8 and MariaDB 10.11+ on servers the operator runs: a database per instance, and a user per binding with
 * privileges on that database only. Grants are database-level, so tables one binding creates are usable by every
 * other binding and outlive their creator; see {@link MysqlAccounts#revoke} for objects that run as their creator.
 */
public final class LocalMysqlProvisioner extends LocalProvisioner implements AutoCloseable {

    private static final String DATABASE_EXISTS = "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";

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
        MysqlAdmin admin = servers.admin(request);
        String database = MysqlNames.database(request.instanceId());
        admin.onServer("creating the instance's database", c -> execute(c, MysqlAdmin.createDatabase(database)));
        return StepOutcome.Completed.with(Map.of("server", admin.server().name(), "database", database));
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
        String prefix = MysqlNames.bindingUserPrefix(request.instance().instanceId());
        servers.admin(request.instance()).onServer("applying the plan's limits to the instance's users", c -> {
            for (String user : MysqlAccounts.withPrefix(c, prefix)) {
                MysqlAccounts.limit(c, user, limits);
            }
            return null;
        });
        return outcome;
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        MysqlAdmin admin = servers.admin(request);
        String database = MysqlNames.database(request.instanceId());
        String prefix = MysqlNames.bindingUserPrefix(request.instanceId());
        // users first: once they are gone no session holds a lock that would keep DROP DATABASE waiting
        admin.onServer("dropping the instance's users", c -> {
            for (String user : MysqlAccounts.withPrefix(c, prefix)) {
                MysqlAccounts.remove(c, user);
            }
            return null;
        });
        admin.onServer(
                "dropping the instance's database", c -> execute(c, "DROP DATABASE IF EXISTS `" + database + "`"));
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        LocalMysqlPlan plan = plan(instance);
        MysqlAdmin admin = servers.admin(instance);
        BindingAccess access = BindingAccess.of(request);
        String database = MysqlNames.database(instance.instanceId());
        String user = MysqlNames.bindingUser(instance.instanceId(), request.bindingId());
        String password = PolicyPasswords.generate();
        admin.onServer("creating the binding's user", c -> {
            if (!exists(c, DATABASE_EXISTS, database)) {
                throw new ProvisioningFailedException("the instance's database " + database + " does not exist on"
                        + " MySQL server '" + admin.server().name() + "'");
            }
            MysqlAccounts.createOrReset(c, user, database, access, plan.userLimits(null), password);
            return null;
        });
        MysqlServer server = admin.server();
        return new MysqlCredentials(
                        server.publicHost(),
                        server.publicPort(),
                        database,
                        user,
                        password,
                        server.tls(),
                        access == BindingAccess.READ_ONLY)
                .toCredentials();
    }

    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        MysqlAdmin admin = servers.admin(instance);
        String database = MysqlNames.database(instance.instanceId());
        String user = MysqlNames.bindingUser(instance.instanceId(), request.bindingId());
        admin.onServer("revoking the binding's user", c -> {
            MysqlAccounts.revoke(c, user, database);
            return null;
        });
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
