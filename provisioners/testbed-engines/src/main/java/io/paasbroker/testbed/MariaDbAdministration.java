package io.paasbroker.testbed;

/**
 * How a cloud sets up its managed MySQL or MariaDB servers ({@link ManagedMariaDb}): the superuser it keeps for
 * itself, what it grants the administrator on {@code *.*}, and its procedure in the {@code mysql} schema through which
 * the administrator, having no CONNECTION ADMIN, ends other users' sessions (the superuser's excepted).
 *
 * @param superuser the cloud's own account, whose password nobody outside knows (RDS's {@code rdsadmin})
 * @param administratorPrivileges the privileges granted the administrator, as {@code GRANT} lists them
 * @param killProcedure the name of the procedure in {@code mysql} (RDS's {@code rds_kill})
 * @param killRefusal the message the procedure refuses the superuser's sessions with
 */
public record MariaDbAdministration(
        String superuser, String administratorPrivileges, String killProcedure, String killRefusal) {}
