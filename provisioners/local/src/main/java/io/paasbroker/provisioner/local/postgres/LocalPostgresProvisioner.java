package io.paasbroker.provisioner.local.postgres;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * PostgreSQL on servers the operator runs, a plan's {@code server} property naming which: each instance a tenancy of
 * {@link PostgresTenancy} there, its database and roles as the plan sets them.
 */
public final class LocalPostgresProvisioner extends LocalProvisioner implements AutoCloseable {

    private static final Pattern SETTING_VALUE = Pattern.compile("[0-9]{1,12}(ms|s|min|h|d|B|kB|MB|GB|TB)?");

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,62}");

    private final ServerAdmins<PostgresAdmin> servers;
    private final PostgresBackups backups;

    /** Two servers with one name are refused; pg_dump and pg_restore are looked for where Debian has them. */
    public LocalPostgresProvisioner(List<PostgresServer> servers) {
        this(servers, PostgresBackups.defaultPrograms());
    }

    /**
     * Two servers with one name are refused.
     *
     * @param clientPrograms where {@code pg_dump} and {@code pg_restore} are, at least as new as the servers
     */
    public LocalPostgresProvisioner(List<PostgresServer> servers, ClientPrograms clientPrograms) {
        super(ServiceKind.POSTGRESQL);
        this.servers = ServerAdmins.uniquelyNamed(
                "PostgreSQL",
                servers,
                PostgresServer::name,
                PostgresAdmin::new,
                plan -> PlanProperties.read(plan, LocalPostgresPlan.class).server());
        this.backups = new PostgresBackups(this.servers, clientPrograms);
    }

    @Override
    public void checkPlan(Plan plan) {
        LocalPostgresPlan properties = PlanProperties.read(plan, LocalPostgresPlan.class);
        servers.require(plan, properties.server(), properties.requireTls());
        if (properties.connectionLimit() != null && properties.connectionLimit() < 1) {
            throw new InvalidPlanException(
                    "plan '" + plan.name() + "' (" + plan.id() + "): connection_limit must be at least 1");
        }
        for (String extension : properties.defaultExtensions()) {
            if (!properties.allowedExtensions().contains(extension)) {
                throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): default extension '"
                        + extension + "' is not among its allowed_extensions");
            }
        }
        for (String extension : properties.allowedExtensions()) {
            if (!EXTENSION_NAME.matcher(extension).matches()) {
                throw new InvalidPlanException(
                        "plan '" + plan.name() + "' (" + plan.id() + "): '" + extension + "' is no extension name");
            }
        }
        properties.limits().forEach((setting, value) -> {
            if (!LocalPostgresPlan.LIMITS.contains(setting)) {
                throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): limits: '" + setting
                        + "' is not among " + new TreeSet<>(LocalPostgresPlan.LIMITS));
            }
            if (value == null || !SETTING_VALUE.matcher(value).matches()) {
                throw new InvalidPlanException("plan '" + plan.name() + "' (" + plan.id() + "): limits: " + setting
                        + " must be a number with an optional unit (30s, 5min, 1GB), not '" + value + "'");
            }
        });
    }

    @Override
    public void checkParameters(Plan plan, Map<String, Object> parameters) {
        LocalPostgresPlan properties = PlanProperties.read(plan, LocalPostgresPlan.class);
        for (String extension : requestedExtensions(parameters)) {
            if (!properties.allowedExtensions().contains(extension)) {
                throw new InvalidParametersException("extension '" + extension + "' is not allowed on plan '"
                        + plan.name() + "'; allowed: " + properties.allowedExtensions());
            }
        }
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        LocalPostgresPlan plan = PlanProperties.read(request.plan(), LocalPostgresPlan.class);
        PostgresAdmin admin = servers.admin(request);
        Set<String> extensions = new TreeSet<>(plan.defaultExtensions());
        extensions.addAll(requestedExtensions(request.parameters()));
        Map<String, String> outputs = new HashMap<>(new PostgresTenancy(admin)
                .createDatabase(
                        request.instanceId(),
                        new PostgresTenancy.DatabaseSettings(
                                connectionLimit(plan),
                                extensions,
                                plan.allowSchemas(),
                                plan.limits(),
                                plan.requireTls())));
        outputs.put("server", admin.server().name());
        return StepOutcome.Completed.with(outputs);
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        servers.requireSameServer(from, to);
    }

    /** A plan change moves the connection limit; the database and roles stay as they are. */
    @Override
    public StepOutcome update(UpdateRequest request) {
        checkPlanChange(request.previousPlan(), request.instance().plan());
        return provision(request.instance());
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        new PostgresTenancy(servers.admin(request)).dropDatabase(request.instanceId());
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        return new PostgresTenancy(servers.admin(instance))
                .bind(instance.instanceId(), request.bindingId(), request.readOnly());
    }

    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        new PostgresTenancy(servers.admin(instance)).unbind(instance.instanceId(), request.bindingId());
    }

    @Override
    public Health health() {
        return servers.health(admin -> {
            String version = admin.onServer("checking the server", c -> {
                try (var rows = c.createStatement().executeQuery("SHOW server_version")) {
                    rows.next();
                    return rows.getString(1);
                }
            });
            return ServerAdmins.Status.up("PostgreSQL " + version);
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

    private static List<String> requestedExtensions(Map<String, Object> parameters) {
        Object requested = parameters.get("extensions");
        if (!(requested instanceof List<?> names)) {
            return List.of();
        }
        return names.stream().map(String::valueOf).toList();
    }

    private static int connectionLimit(LocalPostgresPlan plan) {
        return plan.connectionLimit() == null ? -1 : plan.connectionLimit();
    }
}
