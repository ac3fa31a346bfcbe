package io.paasbroker.provisioner.local.opensearch;

import io.paasbroker.provisioner.ResourceNames;

/**
 * The names of what an instance has on the server, all derived from its id: the index prefix its indices must start
 * with, its two roles (read-write and read-only, each mapped from a backend role of the same name), and the internal
 * users of its bindings. Lowercase hex with fixed separators: valid index, role and user names, with no wildcard or
 * path characters. Every binding user starts with the instance's user prefix, so deprovision finds them all.
 */
final class OpenSearchNames {

    private static final int HASH_LENGTH = 16;

    private OpenSearchNames() {}

    /** {@code pb-<hash>-}: the indices of the instance are {@code pb-<hash>-*}. */
    static String indexPrefix(String instanceId) {
        return "pb-" + hash(instanceId) + "-";
    }

    static String indexPattern(String instanceId) {
        return indexPrefix(instanceId) + "*";
    }

    static String writeRole(String instanceId) {
        return "pb_" + hash(instanceId) + "_readwrite";
    }

    static String readRole(String instanceId) {
        return "pb_" + hash(instanceId) + "_readonly";
    }

    static String userPrefix(String instanceId) {
        return "pb_" + hash(instanceId) + "_";
    }

    static String bindingUser(String instanceId, String bindingId) {
        return userPrefix(instanceId) + ResourceNames.hash(bindingId, HASH_LENGTH);
    }

    private static String hash(String id) {
        return ResourceNames.hash(id, HASH_LENGTH);
    }
}
