package io.paasbroker.provisioner.local.mysql;

/**
 * What a binding's user may do in its instance's database. Every privilege is granted on the database only
 * ({@code db.*}), never on {@code *.*}, so no binding can reach another database, create users or see other sessions.
 */
enum BindingAccess {

    /**
     * Everything a schema owner needs, listed rather than {@code ALL} so that a server version adding a database-level
     * privilege does not silently widen it. DROP reaches the instance's own database too; CREATE lets the tenant make
     * it again.
     */
    READ_WRITE("SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, CREATE TEMPORARY TABLES,"
            + " LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER"),

    /** Reads tables and views and the definitions of views; no write of any kind, not even temporary tables. */
    READ_ONLY("SELECT, SHOW VIEW");

    private final String privileges;

    BindingAccess(String privileges) {
        this.privileges = privileges;
    }

    String privileges() {
        return privileges;
    }
}
