package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.AdminPool.exists;
import static io.paasbroker.provisioner.local.common.AdminPool.strings;
import static io.paasbroker.provisioner.local.mysql.MysqlAdmin.execute;

import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.credentials.MysqlCredentials;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.PolicyPasswords;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The tenancy of instances on one MySQL or MariaDB server, whoever runs it (the operator, or RDS for an instance of
 * its own): a database per instance, and a user per binding with privileges on that database only. Grants are
 * database-level, so tables one binding creates are usable by every other binding and outlive their creator; see
 * {@link MysqlAccounts#revoke} for objects that run as their creator. Every method is idempotent.
 */
public final class MysqlTenancy {

    private static final String DATABASE_EXISTS = "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";

    /** How long a step waits to connect to a server of an instance's own, which a cloud may still be starting. */
    private static final Duration DEDICATED_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final MysqlAdmin admin;

    /**
     * Runs {@code work} on the tenancy of a server of an instance's own (an RDS instance, a flexible server), logged in
     * as its administrator, which has no SUPER; {@code server} names the admin connections in the broker's logs.
     */
    public static <T> T onDedicatedServer(
            String server,
            String host,
            int port,
            String username,
            String password,
            ServerTls tls,
            Function<MysqlTenancy, T> work) {
        MysqlServer dedicated =
                new MysqlServer(server, host, port, username, password, host, port, DEDICATED_CONNECT_TIMEOUT, tls);
        try (MysqlAdmin admin = new MysqlAdmin(dedicated)) {
            return work.apply(new MysqlTenancy(admin));
        }
    }

    public MysqlTenancy(MysqlAdmin admin) {
        this.admin = admin;
    }

    /** Makes the instance's database when it is missing; answers its name. */
    public String createDatabase(String instanceId) {
        String database = MysqlNames.database(instanceId);
        admin.onServer("creating the instance's database", c -> execute(c, MysqlAdmin.createDatabase(database)));
        return database;
    }

    /**
     * The tenant database of a server that holds one instance's alone (an RDS instance of its own): the one it holds,
     * whichever instance it was made for (a server restored from another instance's snapshot holds that instance's,
     * and MySQL cannot rename a database), or a new one of {@code instanceId}'s when it holds none.
     */
    public String soleDatabase(String instanceId) {
        List<String> databases = admin.onServer(
                "looking for the instance's database",
                c -> strings(
                        c,
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME RLIKE ? ORDER BY 1",
                        MysqlNames.DATABASE_PATTERN));
        if (databases.size() > 1) {
            throw new ProvisioningFailedException(
                    "the server holds the databases of several instances (" + databases + "), not one");
        }
        return databases.isEmpty() ? createDatabase(instanceId) : databases.get(0);
    }

    /**
     * A user of the instance with a new password, with {@code limits} (options of ALTER USER), read-only where asked:
     * the binding's credentials.
     */
    public Credentials bind(String database, String instanceId, String bindingId, boolean readOnly, String limits) {
        BindingAccess access = readOnly ? BindingAccess.READ_ONLY : BindingAccess.READ_WRITE;
        String user = MysqlNames.bindingUser(instanceId, bindingId);
        String password = PolicyPasswords.generate();
        admin.onServer("creating the binding's user", c -> {
            if (!exists(c, DATABASE_EXISTS, database)) {
                throw new ProvisioningFailedException("the instance's database " + database + " does not exist on"
                        + " MySQL server '" + admin.server().name() + "'");
            }
            MysqlAccounts.createOrReset(c, user, database, access, limits, password);
            return null;
        });
        MysqlServer server = admin.server();
        return new MysqlCredentials(
                        server.publicHost(), server.publicPort(), database, user, password, server.tls(), readOnly)
                .toCredentials();
    }

    /** Revokes the binding's user: see {@link MysqlAccounts#revoke}. */
    public void unbind(String database, String instanceId, String bindingId) {
        String user = MysqlNames.bindingUser(instanceId, bindingId);
        admin.onServer("revoking the binding's user", c -> {
            MysqlAccounts.revoke(c, user, database);
            return null;
        });
    }

    /** Puts every user of the instance under {@code limits} (options of ALTER USER). */
    public void limitUsers(String instanceId, String limits) {
        admin.onServer("applying the plan's limits to the instance's users", c -> {
            for (String user : MysqlAccounts.withPrefix(c, MysqlNames.bindingUserPrefix(instanceId))) {
                MysqlAccounts.limit(c, user, limits);
            }
            return null;
        });
    }

    /** Drops the instance's users, then its database. */
    public void dropDatabase(String instanceId) {
        // users first: once they are gone no session holds a lock that would keep DROP DATABASE waiting
        admin.onServer("dropping the instance's users", c -> {
            for (String user : MysqlAccounts.withPrefix(c, MysqlNames.bindingUserPrefix(instanceId))) {
                MysqlAccounts.remove(c, user);
            }
            return null;
        });
        admin.onServer(
                "dropping the instance's database",
                c -> execute(c, "DROP DATABASE IF EXISTS `" + MysqlNames.database(instanceId) + "`"));
    }

    /**
     * Revokes the users of other instances' bindings that a copy of another instance's server holds (an RDS instance
     * restored from another's snapshot), so no credentials of the other instance work here.
     */
    public void revokeCopiedUsers(String instanceId, String database) {
        String own = MysqlNames.bindingUserPrefix(instanceId);
        admin.onServer("revoking the copied instance's users", c -> {
            for (String user : strings(
                    c,
                    "SELECT User FROM mysql.user WHERE User RLIKE ? AND Host = '%' ORDER BY User",
                    MysqlNames.BINDING_USER_PATTERN)) {
                if (!user.startsWith(own)) {
                    MysqlAccounts.revoke(c, user, database);
                }
            }
            return null;
        });
    }

    /** Whether the server takes the admin's password now, asked on a connection of its own. */
    public boolean adminPasswordAccepted() {
        return admin.acceptsPassword(admin.server().adminPassword());
    }
}
