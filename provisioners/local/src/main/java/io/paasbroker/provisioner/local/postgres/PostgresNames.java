package io.paasbroker.provisioner.local.postgres;

import io.paasbroker.provisioner.ResourceNames;
import java.util.UUID;

/** Database and role names of an instance and its bindings; lowercase hex, so they never need quoting. */
final class PostgresNames {

    private PostgresNames() {}

    /** What every instance's database name matches, as a PostgreSQL regular expression. */
    static final String DATABASE_PATTERN = "^pb_[0-9a-f]{24}$";

    /** What every binding's (and client program's) login role matches, as a PostgreSQL regular expression. */
    static final String BINDING_ROLE_PATTERN = "^pb_[0-9a-f]{24}_bm?[0-9a-f]{15,16}$";

    static String database(String instanceId) {
        return "pb_" + ResourceNames.hash(instanceId, 24);
    }

    /** The group role that owns the database and everything in it; every binding's role is a member. */
    static String ownerRole(String instanceId) {
        return ownerOf(database(instanceId));
    }

    /** The owner role of the instance whose database is {@code database}. */
    static String ownerOf(String database) {
        return database + "_owner";
    }

    /** The group role of read-only bindings: SELECT on what the owner role creates, nothing else. */
    static String readerRole(String instanceId) {
        return readerOf(database(instanceId));
    }

    static String readerOf(String database) {
        return database + "_reader";
    }

    static String bindingRole(String instanceId, String bindingId) {
        return bindingRolePrefix(instanceId) + ResourceNames.hash(bindingId, 16);
    }

    /**
     * The login one run of pg_dump or pg_restore uses: new each time, so runs never share a password, and under the
     * bindings' prefix (an {@code m} is no hex digit, so it is no binding's), so deprovisioning drops one a crash left.
     */
    static String programRole(String instanceId) {
        return bindingRolePrefix(instanceId) + "m"
                + ResourceNames.hash(UUID.randomUUID().toString(), 15);
    }

    static String bindingRolePrefix(String instanceId) {
        return bindingPrefixOf(database(instanceId));
    }

    static String bindingPrefixOf(String database) {
        return database + "_b";
    }
}
