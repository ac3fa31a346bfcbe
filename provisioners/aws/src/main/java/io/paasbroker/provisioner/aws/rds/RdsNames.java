package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.ResourceNames;

/**
 * Names of an instance's RDS resources, from its OSB id: an identifier RDS accepts (a letter first, letters, digits and
 * single hyphens, at most 63), under the broker's prefix so one account can hold several brokers' instances.
 */
final class RdsNames {

    /** The master user RDS makes: no name RDS reserves ({@code admin}, {@code rdsadmin}, {@code postgres}). */
    static final String MASTER_USERNAME = "pbmaster";

    private RdsNames() {}

    static String instance(String prefix, String instanceId) {
        return prefix + "-" + ResourceNames.hash(instanceId, 24);
    }

    /** The snapshot RDS keeps when the instance is deleted. */
    static String finalSnapshot(String prefix, String instanceId) {
        return instance(prefix, instanceId) + "-final";
    }
}
