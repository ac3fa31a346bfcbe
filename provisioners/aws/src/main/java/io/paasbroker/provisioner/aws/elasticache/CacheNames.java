package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.provisioner.ResourceNames;

/**
 * Names of an instance's ElastiCache resources, from its OSB ids, under the broker's prefix so one account can hold
 * several brokers' resources: a replication group id ElastiCache accepts (a letter first, letters, digits and single
 * hyphens, at most 40: a prefix of at most 20, a hyphen and 16 hex digits), its user group of the same id, its
 * {@code default} user, and a user per binding whose user name is its id; the users' ids start with the group's.
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

    /** Under the instance's id, so the instance's every user is found by it, even one a bind made and then left. */
    static String bindingUser(String prefix, String instanceId, String bindingId) {
        return replicationGroup(prefix, instanceId) + "-b" + ResourceNames.hash(bindingId, 16);
    }

    /** What the ids of the instance's users (its bindings' and its default user) start with. */
    static String usersOf(String prefix, String instanceId) {
        return replicationGroup(prefix, instanceId) + "-";
    }

    static String finalSnapshot(String prefix, String instanceId) {
        return replicationGroup(prefix, instanceId) + "-final";
    }

    /** The broker's parameter group of a family and eviction policy, shared by every group of those. */
    static String parameterGroup(String prefix, String family, String maxmemoryPolicy) {
        return prefix + "-" + family + "-" + maxmemoryPolicy;
    }
}
