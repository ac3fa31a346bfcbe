package io.paasbroker.provisioner.local.mysql;

import io.paasbroker.provisioner.ResourceNames;

/**
 * Database and user names of an instance and its bindings: lowercase hex and underscores, so they never need quoting.
 * A binding's user starts with a prefix taken from the instance's hash, so deprovision finds every user of the
 * instance; user names stay within MySQL's 32 characters.
 */
final class MysqlNames {

    /** Any instance's database: {@link #database}. */
    static final String DATABASE_PATTERN = "^pb_[0-9a-f]{24}$";

    /** Any instance's binding user: {@link #bindingUser}. */
    static final String BINDING_USER_PATTERN = "^pb_[0-9a-f]{16}_[0-9a-f]{12}$";

    private MysqlNames() {}

    /** {@code pb_} and 24 hex digits. */
    static String database(String instanceId) {
        return "pb_" + ResourceNames.hash(instanceId, 24);
    }

    /** {@code pb_}, the first 16 hex digits of the database's hash, {@code _}: 20 characters. */
    static String bindingUserPrefix(String instanceId) {
        return "pb_" + ResourceNames.hash(instanceId, 16) + "_";
    }

    /** The prefix and 12 hex digits of the binding id: 32 characters. */
    static String bindingUser(String instanceId, String bindingId) {
        return bindingUserPrefix(instanceId) + ResourceNames.hash(bindingId, 12);
    }

    /**
     * The account a restore logs in as and that defines what it restores: a binding user's name, so that deprovision
     * finds it with the others.
     */
    static String restoreUser(String instanceId) {
        return bindingUser(instanceId, "paasbroker-restore");
    }

    /**
     * The database as GRANT reads it: there {@code _} and {@code %} are wildcards, and {@code pb_1a} unescaped would
     * also let the tenant create and use {@code pbx1a}.
     */
    static String grantPattern(String database) {
        return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }
}
