package io.paasbroker.provisioner.aws.elasticache;

/**
 * The access strings of the users the broker makes. A binding's user reaches every key and channel of its instance's
 * own replication group, with every command but the {@code @admin} ones (ACL, CONFIG, MODULE, DEBUG, MONITOR, CLIENT
 * LIST and KILL, SAVE, SHUTDOWN, REPLICAOF...): it cannot see or change other users, nor act as the operator. A
 * read-only user reads keys only ({@code %R~*}, Redis 7's read selector) and neither writes nor publishes.
 */
final class CacheAccess {

    /** The group's {@code default} user: off, so no connection is served without a binding's user. */
    static final String DEFAULT_USER = "off ~* -@all";

    private static final String READ_WRITE = "on ~* &* +@all -@admin";
    private static final String READ_ONLY = "on %R~* &* +@all -@admin -@write -publish -spublish";

    private CacheAccess() {}

    static String forBinding(boolean readOnly) {
        return readOnly ? READ_ONLY : READ_WRITE;
    }
}
