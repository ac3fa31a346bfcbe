package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.provisioner.ResourceNames;

/**
 * Names of an instance's ElastiCache resources, from its OSB ids, under the broker's prefix so one account can hold
 * several brokers' resources: a replication group id ElastiCache accepts (a letter first, letters, digits and single
 * hyphens, at most 40: a prefix of at most 20, a hyphen and 16 hex digits), its user group of the same id, its
 * {@code default} user, and a user per binding whose user name is its id.
 */
final class CacheNames {

    private CacheNames() {}

    static String replicationGroup(String prefix, String instanceId) {
        return prefix + "-" + ResourceNames.hash(instanceId, 16);
    }

    /** The user every user group needs, named {@code default}: off, so nobody logs in without a user of their own. */
    static String defaultUser(String prefix, String instanceId) {
        return replicationGroup(prefix, instanceId) + "-default";
    }

    static String bindingUser(String prefix, String bindingId) {
        return prefix + "-b" + ResourceNames.hash(bindingId, 24);
    }

    static String finalSnapshot(String prefix, String instanceId) {
        return replicationGroup(prefix, instanceId) + "-final";
    }

    /** The broker's parameter group of a family and eviction policy, shared by every group of those. */
    static String parameterGroup(String prefix, String family, String maxmemoryPolicy) {
        return prefix + "-" + family + "-" + maxmemoryPolicy;
    }
}
