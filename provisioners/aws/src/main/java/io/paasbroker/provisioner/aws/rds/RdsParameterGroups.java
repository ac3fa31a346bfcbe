package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsTags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The broker's own DB parameter groups, one per engine family and set of settings its plans need, shared by every
 * instance of those settings: TLS forced ({@code rds.force_ssl}), and the libraries the plan's extensions need loaded
 * at start ({@code shared_preload_libraries}). A group's name is derived from what it sets, so it never changes under
 * an instance, and making one again only sets the same values. They cost nothing and are not deleted.
 */
final class RdsParameterGroups {

    /** Extensions PostgreSQL loads only at start: a plan allowing one gets it preloaded. */
    private static final Set<String> PRELOADED = Set.of("pg_cron", "pg_stat_statements", "pglogical");

    private final String prefix;

    RdsParameterGroups(String prefix) {
        this.prefix = prefix;
    }

    /** The group's name for the plan; the plan's own group when it names one. */
    String nameFor(RdsPlan plan) {
        if (plan.dbParameterGroup() != null) {
            return plan.dbParameterGroup();
        }
        return prefix + "-" + family(plan) + "-"
                + ResourceNames.hash(parameters(plan).toString(), 8);
    }

    /** Makes the plan's group, or sets its values again; answers its name. */
    String ensure(RdsClient rds, RdsPlan plan) {
        String name = nameFor(plan);
        if (plan.dbParameterGroup() != null) {
            return name;
        }
        try {
            AwsCalls.call(
                    "creating DB parameter group " + name,
                    () -> rds.createDBParameterGroup(b -> b.dbParameterGroupName(name)
                            .dbParameterGroupFamily(family(plan))
                            .description("paasbroker: TLS forced, libraries of the plan's extensions preloaded")
                            .tags(Tag.builder()
                                    .key(AwsTags.BROKER)
                                    .value(prefix)
                                    .build())));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof DbParameterGroupAlreadyExistsException)) {
                throw e;
            }
        }
        List<Parameter> parameters = new ArrayList<>();
        parameters(plan)
                .forEach((parameter, value) -> parameters.add(Parameter.builder()
                        .parameterName(parameter)
                        .parameterValue(value)
                        .applyMethod(
                                parameter.equals("rds.force_ssl") ? ApplyMethod.IMMEDIATE : ApplyMethod.PENDING_REBOOT)
                        .build()));
        AwsCalls.call(
                "setting DB parameter group " + name,
                () -> rds.modifyDBParameterGroup(
                        b -> b.dbParameterGroupName(name).parameters(parameters)));
        return name;
    }

    /** {@code postgres15} for a plan of PostgreSQL 15. */
    static String family(RdsPlan plan) {
        return "postgres" + plan.majorVersion();
    }

    private static Map<String, String> parameters(RdsPlan plan) {
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
}
