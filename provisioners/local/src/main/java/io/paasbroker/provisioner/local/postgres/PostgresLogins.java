package io.paasbroker.provisioner.local.postgres;

import static io.paasbroker.provisioner.local.common.AdminPool.exists;
import static io.paasbroker.provisioner.local.common.AdminPool.inOneTransaction;
import static io.paasbroker.provisioner.local.common.AdminPool.strings;
import static io.paasbroker.provisioner.local.postgres.PostgresAdmin.execute;

import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * The login roles of an instance: a binding's, and the short-lived one its backups and restores run as. Each is a
 * member of one of the instance's groups and acts as it, so what it creates belongs to the instance.
 */
final class PostgresLogins {

    static final String ROLE_EXISTS = "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?";
    static final String DATABASE_EXISTS = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?";

    private PostgresLogins() {}

    /**
     * Makes {@code role} a login of {@code group} with {@code password}, or lets an existing one log in again with it.
     *
     * @param readOnly whether its transactions are read-only by default
     */
    static void create(
            PostgresAdmin admin, String instanceId, String role, String group, boolean readOnly, String password) {
        String database = PostgresNames.database(instanceId);
        String owner = PostgresNames.ownerRole(instanceId);
        admin.onServer("creating the login role", inOneTransaction(c -> {
            if (!exists(c, DATABASE_EXISTS, database) || !exists(c, ROLE_EXISTS, owner)) {
                throw new SQLException("the instance's database " + database + " does not exist", "3D000");
            }
            if (exists(c, ROLE_EXISTS, role)) {
                execute(c, "ALTER ROLE " + role + " LOGIN");
            } else {
                execute(c, "CREATE ROLE " + role + " LOGIN IN ROLE " + group);
            }
            execute(c, "ALTER ROLE " + role + " SET role = " + group);
            if (readOnly) {
                execute(c, "ALTER ROLE " + role + " SET default_transaction_read_only = on");
            }
            // hashed here (SCRAM), so the password never travels in an SQL text the server might log
            c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
            return null;
        }));
    }

    /**
     * Stops {@code role} logging in, ends its sessions, hands what it owns to the instance's owner role and drops it.
     * Idempotent.
     */
    static void drop(PostgresAdmin admin, String instanceId, String role) {
        drop(admin, PostgresNames.database(instanceId), PostgresNames.ownerRole(instanceId), role);
    }

    /** As {@link #drop(PostgresAdmin, String, String)}, for a login of the instance whose database and owner these are. */
    static void drop(PostgresAdmin admin, String database, String owner, String role) {
        boolean roleExists = admin.onServer("closing the login's connections", c -> {
            if (!exists(c, ROLE_EXISTS, role)) {
                return false;
            }
            execute(c, "ALTER ROLE " + role + " NOLOGIN");
            terminateSessions(c, "usename", role);
            actAs(c, role);
            return true;
        });
        if (!roleExists) {
            return;
        }
        boolean databaseExists =
                admin.onServer("checking for the instance's database", c -> exists(c, DATABASE_EXISTS, database));
        if (databaseExists) {
            admin.inDatabase(database, "handing the login's objects to the instance", inOneTransaction(c -> {
                if (exists(c, ROLE_EXISTS, owner)) {
                    execute(c, "REASSIGN OWNED BY " + role + " TO " + owner);
                }
                execute(c, "DROP OWNED BY " + role);
                return null;
            }));
        }
        admin.onServer("dropping the login role", c -> execute(c, "DROP ROLE IF EXISTS " + role));
    }

    /**
     * Lets an admin that is no superuser (an RDS master: CREATEROLE, CREATEDB) act for {@code role}, as handing a
     * schema to it, setting its default privileges and reassigning its objects need: the admin becomes a member. The
     * membership runs one way; the role gains nothing of the admin's.
     */
    static void actAs(java.sql.Connection c, String role) throws SQLException {
        if (!exists(c, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER AND rolsuper")) {
            execute(c, "GRANT " + role + " TO CURRENT_USER");
        }
    }

    static void terminateSessions(java.sql.Connection c, String column, String value) throws SQLException {
        strings(
                c,
                "SELECT pg_catalog.pg_terminate_backend(pid)::text FROM pg_catalog.pg_stat_activity WHERE " + column
                        + " = ?",
                value);
    }
}
