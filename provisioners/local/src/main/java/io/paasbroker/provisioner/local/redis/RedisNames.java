package io.paasbroker.provisioner.local.redis;

import io.paasbroker.provisioner.ResourceNames;

/**
 * The key prefix of an instance and the ACL user names of its bindings; lowercase hex with fixed separators, so they
 * hold no glob or ACL rule characters. Every binding user starts with the instance's user prefix, so deprovision
 * finds them all.
 */
final class RedisNames {

    private static final int HASH_LENGTH = 16;

    private RedisNames() {}

    static String keyPrefix(String instanceId) {
        return "pb:" + ResourceNames.hash(instanceId, HASH_LENGTH) + ":";
    }

    static String userPrefix(String instanceId) {
        return "pb-" + ResourceNames.hash(instanceId, HASH_LENGTH) + "-";
    }

    static String bindingUser(String instanceId, String bindingId) {
        return userPrefix(instanceId) + ResourceNames.hash(bindingId, HASH_LENGTH);
    }
}
