package io.paasbroker.provisioner.aws.rds;

import static io.paasbroker.provisioner.aws.AwsPlanRules.require;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.local.postgres.PostgresTenancy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * PostgreSQL on RDS: TLS forced ({@code rds.force_ssl}), the libraries of the plan's extensions preloaded, and inside
 * the instance the same tenancy as on servers the operator runs ({@link PostgresTenancy}), set up by the master user
 * (no superuser on RDS): bindings are login roles.
 */
final class PostgresOnRds implements RdsEngine {

    /** Extensions PostgreSQL loads only at start: a plan allowing one gets it preloaded. */
    private static final Set<String> PRELOADED = Set.of("pg_cron", "pg_stat_statements", "pglogical");

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,62}");

    @Override
    public ServiceKind kind() {
        return ServiceKind.POSTGRESQL;
    }

    @Override
    public String engine(RdsPlan plan) {
        return "postgres";
    }

    @Override
    public String displayName(RdsPlan plan) {
        return "PostgreSQL";
    }

    @Override
    public int majorVersionParts() {
        return 1;
    }

    @Override
    public Map<String, String> parameters(RdsPlan plan) {
        Map<String, String> parameters = new TreeMap<>();
        parameters.put("rds.force_ssl", "1");
        List<String> preloaded = plan.allowedExtensions().stream()
                .filter(PRELOADED::contains)
                .sorted()
                .toList();
        if (!preloaded.isEmpty()) {
            parameters.put("shared_preload_libraries", String.join(",", preloaded));
        }
        return parameters;
    }

    @Override
    public boolean dynamic(String parameter) {
        return parameter.equals("rds.force_ssl");
    }

    @Override
    public void checkPlan(String name, RdsPlan plan) {
        require(
                plan.engine() == null || plan.engine().equals("postgres"),
                name + "engine must be postgres (or left out) for a PostgreSQL plan");
        require(
                plan.connectionLimit() == null || plan.connectionLimit() >= 1,
                name + "connection_limit must be at least 1");
        for (String extension : plan.allowedExtensions()) {
            require(EXTENSION_NAME.matcher(extension).matches(), name + "'" + extension + "' is no extension name");
        }
        for (String extension : plan.defaultExtensions()) {
            require(
                    plan.allowedExtensions().contains(extension),
                    name + "default extension '" + extension + "' is not among its allowed_extensions");
        }
    }

    @Override
    public void checkParameters(Plan plan, RdsPlan properties, RdsParameters parameters) {
        for (String extension : parameters.extensions()) {
            if (!properties.allowedExtensions().contains(extension)) {
                throw new InvalidParametersException("extension '" + extension + "' is not allowed on plan '"
                        + plan.name() + "'; allowed: " + properties.allowedExtensions());
            }
        }
    }

    @Override
    public String snapshotFormat() {
        return "rds-postgres-snapshot/1";
    }

    @Override
    public <T> T asMaster(Master master, Function<Tenancy, T> work) {
        return PostgresTenancy.onDedicatedServer(
                master.identifier(),
                master.host(),
                master.port(),
                master.username(),
                master.password(),
                master.tls(),
                tenancy -> work.apply(new InPostgres(tenancy)));
    }

    private record InPostgres(PostgresTenancy tenancy) implements Tenancy {

        @Override
        public boolean masterPasswordAccepted() {
            return tenancy.adminPasswordAccepted();
        }

        @Override
        public Map<String, String> setUp(InstanceRequest request, RdsPlan plan) {
            TreeSet<String> extensions = new TreeSet<>(plan.defaultExtensions());
            extensions.addAll(RdsParameters.of(request.parameters()).extensions());
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
        public void adoptCopied(InstanceRequest request) {
            tenancy.adoptCopiedTenancy(request.instanceId());
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
