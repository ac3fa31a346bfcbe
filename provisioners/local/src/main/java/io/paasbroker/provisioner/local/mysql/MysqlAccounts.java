package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.AdminPool.exists;
import static io.paasbroker.provisioner.local.common.AdminPool.strings;
import static io.paasbroker.provisioner.local.mysql.MysqlAdmin.execute;

import io.paasbroker.provisioner.local.common.PolicyPasswords;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The binding users' accounts ({@code 'user'@'%'}), changed through an admin connection. Every method may run again
 * after a crash part-way and ends in the same state.
 */
final class MysqlAccounts {

    private static final int NO_SUCH_THREAD = 1094;
    private static final int NOT_OWNER_OF_THREAD = 1095;
    private static final int NO_SUCH_PROCEDURE = 1305;
    /** The clouds' procedures through which an administrator ends others' sessions: RDS's, Azure's. */
    private static final List<String> KILL_PROCEDURES = List.of("rds_kill", "az_kill");

    /**
     * Objects that run as their DEFINER: a trigger always, a view, routine or event unless declared SQL SECURITY
     * INVOKER. Once the definer is dropped they fail ("the user specified as a definer does not exist"), for every
     * binding. Tables, indexes and data belong to no user and carry over without this.
     */
    private static final String DEFINES_OBJECTS = "SELECT 1 FROM information_schema.TRIGGERS"
            + " WHERE TRIGGER_SCHEMA = ? AND DEFINER = ?"
            + " UNION ALL SELECT 1 FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND DEFINER = ?"
            + " UNION ALL SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND DEFINER = ?"
            + " UNION ALL SELECT 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? AND DEFINER = ?";

    private MysqlAccounts() {}

    /** The instance's binding users, found by the prefix of their names. */
    static List<String> withPrefix(Connection c, String prefix) throws SQLException {
        return strings(c, "SELECT User FROM mysql.user WHERE LOCATE(?, User) = 1 AND Host = '%' ORDER BY User", prefix);
    }

    /**
     * Creates the user, or adopts the one an interrupted bind left, with exactly {@code access} on {@code database}
     * and {@code password}. The account stays locked until its grants are in place.
     */
    static void createOrReset(
            Connection c, String user, String database, BindingAccess access, String limits, String password)
            throws SQLException {
        execute(c, "CREATE USER IF NOT EXISTS " + account(user) + " IDENTIFIED BY ? ACCOUNT LOCK", password);
        execute(c, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM " + account(user));
        execute(
                c,
                "GRANT " + access.privileges() + " ON `" + MysqlNames.grantPattern(database) + "`.* TO "
                        + account(user));
        execute(c, "ALTER USER " + account(user) + " IDENTIFIED BY ? " + limits + " ACCOUNT UNLOCK", password);
    }

    /** Puts the user under {@code limits}: TLS and resource options of ALTER USER. */
    static void limit(Connection c, String user, String limits) throws SQLException {
        execute(c, "ALTER USER IF EXISTS " + account(user) + " " + limits);
    }

    /**
     * Revokes a binding: the account is locked under a password nobody knows, its sessions end, and it is dropped
     * unless it is the definer of objects in {@code database}. Such an account stays, locked and with its grants, so
     * the others' triggers, views and routines keep working; deprovision drops it with the database.
     */
    static void revoke(Connection c, String user, String database) throws SQLException {
        lockOut(c, user);
        endSessions(c, user);
        String definer = user + "@%";
        if (!exists(c, DEFINES_OBJECTS, database, definer, database, definer, database, definer, database, definer)) {
            execute(c, "DROP USER IF EXISTS " + account(user));
        }
    }

    /** Removes the account whatever it defines: its database goes too. */
    static void remove(Connection c, String user) throws SQLException {
        lockOut(c, user);
        endSessions(c, user);
        execute(c, "DROP USER IF EXISTS " + account(user));
    }

    /** No new session from here on: a session opened between listing and killing would otherwise survive. */
    private static void lockOut(Connection c, String user) throws SQLException {
        execute(
                c,
                "ALTER USER IF EXISTS " + account(user) + " IDENTIFIED BY ? ACCOUNT LOCK",
                PolicyPasswords.generate());
    }

    /**
     * Ends the user's sessions. An admin without CONNECTION ADMIN (an RDS master user, an Azure flexible server's
     * administrator) may not end others' sessions itself, and asks its cloud's procedure to ({@code mysql.rds_kill},
     * {@code mysql.az_kill}: whichever the server has).
     */
    private static void endSessions(Connection c, String user) throws SQLException {
        for (String id : strings(c, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?", user)) {
            long thread = Long.parseLong(id);
            try {
                try {
                    execute(c, "KILL CONNECTION " + thread);
                } catch (SQLException e) {
                    if (e.getErrorCode() != NOT_OWNER_OF_THREAD) {
                        throw e;
                    }
                    killThroughTheCloud(c, thread, e);
                }
            } catch (SQLException e) {
                if (e.getErrorCode() != NO_SUCH_THREAD) {
                    throw e;
                }
                // it ended by itself since the listing
            }
        }
    }

    private static void killThroughTheCloud(Connection c, long thread, SQLException refused) throws SQLException {
        for (String procedure : KILL_PROCEDURES) {
            try {
                execute(c, "CALL mysql." + procedure + "(" + thread + ")");
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != NO_SUCH_PROCEDURE) {
                    throw e;
                }
            }
        }
        throw refused;
    }

    /** Names are lowercase hex and underscores ({@link MysqlNames}), so quoting needs no escaping. */
    private static String account(String user) {
        if (!user.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a binding user's name: " + user);
        }
        return "'" + user + "'@'%'";
    }
}
