package io.paasbroker.provisioner.azure.flexible;

import static io.paasbroker.provisioner.azure.flexible.FlexiblePlanChecks.require;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.local.postgres.PostgresTenancy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Azure Database for PostgreSQL flexible server: TLS required ({@code require_secure_transport}), the plan's
 * extensions on the server's {@code azure.extensions} allow-list, and inside the server the same tenancy as on servers
 * the operator runs ({@link PostgresTenancy}), set up by the administrator (a member of {@code azure_pg_admin}, no
 * superuser): bindings are login roles.
 */
final class PostgresOnFlexibleServer implements FlexibleEngine {

    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,62}");
    /** The storage sizes Azure offers, in GiB. */
    private static final List<Integer> STORAGE_SIZES =
            List.of(32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767);

    @Override
    public ServiceKind kind() {
        return ServiceKind.POSTGRESQL;
    }

    @Override
    public String resourceType() {
        return "Microsoft.DBforPostgreSQL/flexibleServers";
    }

    @Override
    public String apiVersion() {
        return "2025-08-01";
    }

    @Override
    public String createMode() {
        return "Create";
    }

    @Override
    public String restorePointProperty() {
        return "pointInTimeUTC";
    }

    @Override
    public String privateDnsZoneProperty() {
        return "privateDnsZoneArmResourceId";
    }

    @Override
    public boolean deletesBackups() {
        return true;
    }

    @Override
    public void checkPlan(String name, FlexiblePlan plan) {
        require(
                plan.version() != null && plan.version().matches("\\d{2}"),
                name + "version must be a major version (16, ...)");
        require(
                STORAGE_SIZES.contains(plan.storageGb()),
                name + "storage_gb must be one of the sizes Azure offers: " + STORAGE_SIZES);
        require(
                plan.connectionLimit() == null || plan.connectionLimit() >= 1,
                name + "connection_limit must be at least 1");
        for (String extension : plan.allowedExtensions()) {
            require(EXTENSION.matcher(extension).matches(), name + "'" + extension + "' is no extension name");
        }
        for (String extension : plan.defaultExtensions()) {
            require(
                    plan.allowedExtensions().contains(extension),
                    name + "default extension '" + extension + "' is not among its allowed_extensions");
        }
    }

    @Override
    public String backupFormat() {
        return "azure-flexible-postgres-backup/1";
    }

    @Override
    public int port() {
        return 5432;
    }

    @Override
    public Map<String, String> configurations(FlexiblePlan plan) {
        Map<String, String> configurations = new TreeMap<>();
        configurations.put("require_secure_transport", "on");
        if (!plan.allowedExtensions().isEmpty()) {
            configurations.put("azure.extensions", String.join(",", new TreeSet<>(plan.allowedExtensions())));
        }
        return configurations;
    }

    @Override
    public <T> T asAdmin(Admin admin, Function<Tenancy, T> work) {
        return PostgresTenancy.onDedicatedServer(
                admin.server(),
                admin.host(),
                admin.port(),
                admin.username(),
                admin.password(),
                admin.tls(),
                tenancy -> work.apply(new InPostgres(tenancy)));
    }

    private record InPostgres(PostgresTenancy tenancy) implements Tenancy {

        @Override
        public boolean adminPasswordAccepted() {
            return tenancy.adminPasswordAccepted();
        }

        @Override
        public void adoptCopied(InstanceRequest request) {
            tenancy.adoptCopiedTenancy(request.instanceId());
        }

        @Override
        public Map<String, String> setUp(InstanceRequest request, FlexiblePlan plan) {
            TreeSet<String> extensions = new TreeSet<>(plan.defaultExtensions());
            extensions.addAll(FlexibleParameters.of(request.parameters()).extensions());
            return tenancy.createDatabase(
                    request.instanceId(),
                    new PostgresTenancy.DatabaseSettings(
                            plan.connectionLimit() == null ? -1 : plan.connectionLimit(),
                            extensions,
                            false,
                            Map.of(),
                            false));
        }

        @Override
        public Credentials bind(InstanceRequest instance, String bindingId, boolean readOnly) {
            return tenancy.bind(instance.instanceId(), bindingId, readOnly);
        }

        @Override
        public void unbind(InstanceRequest instance, String bindingId) {
            tenancy.unbind(instance.instanceId(), bindingId);
        }
    }
}
