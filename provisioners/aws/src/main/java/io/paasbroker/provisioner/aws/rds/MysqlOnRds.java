package io.paasbroker.provisioner.aws.rds;

import static io.paasbroker.provisioner.aws.AwsPlanRules.require;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.mysql.MysqlTenancy;
import java.util.Map;
import java.util.function.Function;

/**
 * MySQL (engine {@code mysql}) or MariaDB ({@code mariadb}) on RDS: TLS required of every login
 * ({@code require_secure_transport}), and inside the instance the same tenancy as on servers the operator runs
 * ({@link MysqlTenancy}), set up by the master user: a database, and a user per binding with privileges on it only,
 * required to use TLS.
 */
final class MysqlOnRds implements RdsEngine {

    /** Every binding's user needs TLS, whatever the server's parameter group says (an operator's group may not). */
    private static final String USER_LIMITS = "REQUIRE SSL";

    @Override
    public ServiceKind kind() {
        return ServiceKind.MYSQL;
    }

    @Override
    public String engine(RdsPlan plan) {
        return plan.engine() == null ? "mysql" : plan.engine();
    }

    @Override
    public String displayName(RdsPlan plan) {
        return engine(plan).equals("mariadb") ? "MariaDB" : "MySQL";
    }

    @Override
    public int majorVersionParts() {
        return 2;
    }

    @Override
    public Map<String, String> parameters(RdsPlan plan) {
        return Map.of("require_secure_transport", "1");
    }

    @Override
    public boolean dynamic(String parameter) {
        return true;
    }

    @Override
    public void checkPlan(String name, RdsPlan plan) {
        require(
                plan.engine() == null
                        || plan.engine().equals("mysql")
                        || plan.engine().equals("mariadb"),
                name + "engine must be mysql or mariadb");
        require(
                plan.engineVersion().contains("."),
                name + "engine_version must name a major version of " + displayName(plan) + " such as 8.0 or 11.4");
        require(
                plan.allowedExtensions().isEmpty()
                        && plan.defaultExtensions().isEmpty()
                        && plan.connectionLimit() == null,
                name + "allowed_extensions, default_extensions and connection_limit are PostgreSQL's");
    }

    @Override
    public void checkParameters(Plan plan, RdsPlan properties, RdsParameters parameters) {
        if (!parameters.extensions().isEmpty()) {
            throw new InvalidParametersException(
                    "plan '" + plan.name() + "' is " + displayName(properties) + ", which has no extensions");
        }
    }

    @Override
    public String snapshotFormat() {
        return "rds-mysql-snapshot/1";
    }

    @Override
    public <T> T asMaster(Master master, Function<Tenancy, T> work) {
        return MysqlTenancy.onDedicatedServer(
                master.identifier(),
                master.host(),
                master.port(),
                master.username(),
                master.password(),
                master.tls(),
                tenancy -> work.apply(new InMysql(tenancy)));
    }

    /**
     * The tenant's database is the one the instance holds: a restored instance keeps the name its snapshot's had
     * (MySQL cannot rename a database), and the broker records it.
     */
    private record InMysql(MysqlTenancy tenancy) implements Tenancy {

        @Override
        public boolean masterPasswordAccepted() {
            return tenancy.adminPasswordAccepted();
        }

        @Override
        public Map<String, String> setUp(InstanceRequest request, RdsPlan plan) {
            return Map.of("database", tenancy.soleDatabase(request.instanceId()));
        }

        @Override
        public void adoptCopied(InstanceRequest request) {
            tenancy.revokeCopiedUsers(request.instanceId(), tenancy.soleDatabase(request.instanceId()));
        }

        @Override
        public Credentials bind(InstanceRequest instance, String bindingId, boolean readOnly) {
            return tenancy.bind(database(instance), instance.instanceId(), bindingId, readOnly, USER_LIMITS);
        }

        @Override
        public void unbind(InstanceRequest instance, String bindingId) {
            tenancy.unbind(database(instance), instance.instanceId(), bindingId);
        }

        private static String database(InstanceRequest instance) {
            String database = instance.outputs().get("database");
            if (database == null) {
                throw new ProvisioningFailedException(
                        "the broker has no database of this instance's RDS instance: its provision did not complete");
            }
            return database;
        }
    }
}
