package io.paasbroker.provisioner.azure.flexible;

import static io.paasbroker.provisioner.azure.flexible.FlexiblePlanChecks.require;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.mysql.MysqlTenancy;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Azure Database for MySQL flexible server: TLS required ({@code require_secure_transport}), and inside the server the
 * same tenancy as on servers the operator runs ({@link MysqlTenancy}), set up by the administrator (Azure's, without
 * SUPER): a database, and a user per binding with privileges on it only, required to use TLS.
 */
final class MysqlOnFlexibleServer implements FlexibleEngine {

    /** The versions the servers' API version offers. */
    private static final Set<String> VERSIONS = Set.of("5.7", "8.0.21");

    /** Every binding's user needs TLS, whatever the server's parameter says (an operator may turn it off). */
    private static final String USER_LIMITS = "REQUIRE SSL";

    @Override
    public ServiceKind kind() {
        return ServiceKind.MYSQL;
    }

    @Override
    public String resourceType() {
        return "Microsoft.DBforMySQL/flexibleServers";
    }

    @Override
    public String apiVersion() {
        return "2023-12-30";
    }

    @Override
    public String createMode() {
        return "Default";
    }

    @Override
    public String restorePointProperty() {
        return "restorePointInTime";
    }

    @Override
    public String privateDnsZoneProperty() {
        return "privateDnsZoneResourceId";
    }

    /** The API has no delete of a backup: Azure deletes each once it is older than the server's retention. */
    @Override
    public boolean deletesBackups() {
        return false;
    }

    @Override
    public void checkPlan(String name, FlexiblePlan plan) {
        require(
                plan.version() != null && VERSIONS.contains(plan.version()),
                name + "version must be one of " + VERSIONS);
        require(
                plan.storageGb() >= 20 && plan.storageGb() <= 16384,
                name + "storage_gb must be 20 to 16384, the sizes Azure offers");
        require(
                plan.allowedExtensions().isEmpty()
                        && plan.defaultExtensions().isEmpty()
                        && plan.connectionLimit() == null,
                name + "allowed_extensions, default_extensions and connection_limit are PostgreSQL's");
    }

    @Override
    public String backupFormat() {
        return "azure-flexible-mysql-backup/1";
    }

    @Override
    public int port() {
        return 3306;
    }

    @Override
    public Map<String, String> configurations(FlexiblePlan plan) {
        return Map.of("require_secure_transport", "ON");
    }

    @Override
    public <T> T asAdmin(Admin admin, Function<Tenancy, T> work) {
        return MysqlTenancy.onDedicatedServer(
                admin.server(),
                admin.host(),
                admin.port(),
                admin.username(),
                admin.password(),
                admin.tls(),
                tenancy -> work.apply(new InMysql(tenancy)));
    }

    /**
     * The tenant's database is the one the server holds: a server restored from another's data keeps the name the
     * source's had (MySQL cannot rename a database), and the broker records it.
     */
    private record InMysql(MysqlTenancy tenancy) implements Tenancy {

        @Override
        public boolean adminPasswordAccepted() {
            return tenancy.adminPasswordAccepted();
        }

        @Override
        public void adoptCopied(InstanceRequest request) {
            tenancy.revokeCopiedUsers(request.instanceId(), tenancy.soleDatabase(request.instanceId()));
        }

        @Override
        public Map<String, String> setUp(InstanceRequest request, FlexiblePlan plan) {
            return Map.of("database", tenancy.soleDatabase(request.instanceId()));
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
                        "the broker has no database of this instance's server: its provision did not complete");
            }
            return database;
        }
    }
}
