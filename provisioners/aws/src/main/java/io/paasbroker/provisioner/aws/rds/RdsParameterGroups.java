package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.aws.AwsCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The broker's own DB parameter groups, one per engine family and set of settings its plans need, shared by every
 * instance of those settings: TLS required, and what else the engine's plans need ({@link RdsEngine#parameters}). A group's name is derived from what it sets, so it never changes under
 * an instance, and making one again only sets the same values. They cost nothing and are not deleted.
 */
final class RdsParameterGroups {

    private final String prefix;
    private final RdsEngine engine;

    RdsParameterGroups(String prefix, RdsEngine engine) {
        this.prefix = prefix;
        this.engine = engine;
    }

    /** The group's name for the plan; the plan's own group when it names one. */
    String nameFor(RdsPlan plan) {
        if (plan.dbParameterGroup() != null) {
            return plan.dbParameterGroup();
        }
        return prefix + "-" + engine.family(plan).replace('.', '-') + "-"
                + ResourceNames.hash(engine.parameters(plan).toString(), 8);
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
                            .dbParameterGroupFamily(engine.family(plan))
                            .description("paasbroker: TLS required, and what the plan needs set")
                            .tags(Tag.builder()
                                    .key(ResourceTags.BROKER)
                                    .value(prefix)
                                    .build())));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof DbParameterGroupAlreadyExistsException)) {
                throw e;
            }
        }
        List<Parameter> parameters = new ArrayList<>();
        new TreeMap<>(engine.parameters(plan))
                .forEach((parameter, value) -> parameters.add(Parameter.builder()
                        .parameterName(parameter)
                        .parameterValue(value)
                        .applyMethod(engine.dynamic(parameter) ? ApplyMethod.IMMEDIATE : ApplyMethod.PENDING_REBOOT)
                        .build()));
        AwsCalls.call(
                "setting DB parameter group " + name,
                () -> rds.modifyDBParameterGroup(
                        b -> b.dbParameterGroupName(name).parameters(parameters)));
        return name;
    }
}
