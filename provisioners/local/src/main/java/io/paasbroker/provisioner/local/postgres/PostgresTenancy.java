package io.paasbroker.provisioner.local.postgres;

import static io.paasbroker.provisioner.local.common.AdminPool.exists;
import static io.paasbroker.provisioner.local.common.AdminPool.inOneTransaction;
import static io.paasbroker.provisioner.local.common.AdminPool.strings;
import static io.paasbroker.provisioner.local.postgres.PostgresAdmin.execute;

import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.credentials.PostgresqlCredentials;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The tenancy of instances on one PostgreSQL server, whoever runs it (the operator, or RDS for an instance of its
 * own): a database per instance that the admin owns, a group role that owns everything in it, a reader group, and a
 * login role per binding that is a member of one group and acts as it, so what one binding creates belongs to the
 * group and outlives that binding. Tenants can connect to their own database only. Every method is idempotent.
 */
public final class PostgresTenancy {

    /** How long a connection to a server of an instance's own may take: a cloud's, farther than the operator's. */
    private static final Duration DEDICATED_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What a plan fixes of an instance's database.
     *
     * @param connectionLimit the most connections it accepts; -1 for no limit
     * @param extensions the extensions it has, in {@link #EXTENSIONS_SCHEMA}
     * @param allowSchemas whether its logins may create schemas of their own (needs a superuser admin)
     * @param limits settings every session starts with
     * @param requireTls whether its logins join {@link PostgresServer#TLS_ONLY_GROUP}
     */
    public record DatabaseSettings(
            int connectionLimit,
            Set<String> extensions,
            boolean allowSchemas,
            Map<String, String> limits,
            boolean requireTls) {

        public DatabaseSettings {
            extensions = Collections.unmodifiableSortedSet(new TreeSet<>(extensions));
            limits = Map.copyOf(limits);
        }
    }

    /** Where the plan's extensions live; every session of the instance has it in its {@code search_path}. */
    static final String EXTENSIONS_SCHEMA = "extensions";

    private static final String ROLE_EXISTS = PostgresLogins.ROLE_EXISTS;
    private static final String DATABASE_EXISTS = PostgresLogins.DATABASE_EXISTS;
    private static final String PUBLIC_CAN_CONNECT = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?"
            + " AND pg_catalog.has_database_privilege('public', oid, 'CONNECT')";
    private static final String OWNED_BY_ADMIN = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?"
            + " AND datdba = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER)";
    private static final String SCHEMA_OWNED_BY_ADMIN = "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?"
            + " AND nspowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER)";

    private static final String DATABASE_SETTING = "SELECT 1 FROM pg_catalog.pg_db_role_setting s"
            + " JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase WHERE d.datname = ? AND s.setrole = 0"
            + " AND EXISTS (SELECT 1 FROM pg_catalog.unnest(s.setconfig) AS c(entry) WHERE c.entry LIKE ?)";

    /** The functions that create a large object, which a read-only binding must not. */
    private static final String LARGE_OBJECT_CREATORS = "lo_creat(integer), lo_create(oid), lo_from_bytea(oid, bytea)";

    private final PostgresAdmin admin;

    /**
     * Runs {@code work} on the tenancy of a server of an instance's own (an RDS instance, a flexible server), logged in
     * as its administrator, which may be no superuser, on a connection pool of its own for this step; {@code server}
     * names the admin connections in the broker's logs.
     */
    public static <T> T onDedicatedServer(
            String server,
            String host,
            int port,
            String username,
            String password,
            ServerTls tls,
            Function<PostgresTenancy, T> work) {
        PostgresServer dedicated = new PostgresServer(
                server, host, port, username, password, host, port, List.of(), DEDICATED_CONNECT_TIMEOUT, tls);
        try (PostgresAdmin admin = new PostgresAdmin(dedicated)) {
            return work.apply(new PostgresTenancy(admin));
        }
    }

    public PostgresTenancy(PostgresAdmin admin) {
        this.admin = admin;
    }

    /** Makes (or brings to {@code settings}) the instance's database and roles; answers their names. */
    public Map<String, String> createDatabase(String instanceId, DatabaseSettings settings) {
        String database = PostgresNames.database(instanceId);
        String owner = PostgresNames.ownerRole(instanceId);

        boolean existed = admin.onServer("creating the instance's owner role", c -> {
            if (!exists(c, ROLE_EXISTS, owner)) {
                execute(c, "CREATE ROLE " + owner + " NOLOGIN");
            }
            PostgresLogins.actAs(c, owner);
            return exists(c, DATABASE_EXISTS, database);
        });
        if (!existed) {
            // the admin owns it, so the instance can neither lift its settings nor make extensions of its own
            admin.databaseDdl("creating the instance's database", "CREATE DATABASE " + database);
        }
        admin.onServer("restricting access to the instance's database", inOneTransaction(c -> {
            if (existed && !exists(c, OWNED_BY_ADMIN, database)) {
                // made when the owner role owned the database: what it set on the database goes with the ownership
                execute(c, "ALTER DATABASE " + database + " OWNER TO CURRENT_USER");
                execute(c, "ALTER DATABASE " + database + " RESET ALL");
            }
            execute(c, "ALTER DATABASE " + database + " CONNECTION LIMIT " + settings.connectionLimit());
            execute(c, "REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            execute(c, "GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + owner);
            execute(
                    c,
                    (settings.allowSchemas()
                                    ? "GRANT CREATE ON DATABASE " + database + " TO "
                                    : "REVOKE CREATE ON DATABASE " + database + " FROM ")
                            + owner);
            execute(c, "ALTER DATABASE " + database + " SET search_path = \"$user\", public, " + EXTENSIONS_SCHEMA);
            for (String setting : LocalPostgresPlan.LIMITS) {
                String value = settings.limits().get(setting);
                if (value != null) {
                    execute(c, "ALTER DATABASE " + database + " SET " + setting + " = '" + value + "'");
                } else if (existed && exists(c, DATABASE_SETTING, database, setting + "=%")) {
                    // a plan change may have dropped it; a new database has none. Only where it is set: resetting
                    // temp_file_limit takes a superuser, which an RDS master is not
                    execute(c, "ALTER DATABASE " + database + " RESET " + setting);
                }
            }
            createReader(c, instanceId);
            // no instance id or platform labels here: every tenant can read the comments of all databases
            execute(c, "COMMENT ON DATABASE " + database + " IS 'managed by paasbroker'");
            return null;
        }));
        requireTls(instanceId, settings.requireTls());
        admin.onServer("restricting access to the server's other databases", c -> {
            for (String other : protectedDatabases()) {
                // only where PUBLIC still connects, and out of any longer transaction: the same REVOKE from
                // concurrent provisions collides on the database's row ("tuple concurrently updated"), and after
                // the first one there is nothing to do
                if (exists(c, PUBLIC_CAN_CONNECT, other)) {
                    execute(c, "REVOKE CONNECT ON DATABASE " + quoteIdentifier(other) + " FROM PUBLIC");
                }
            }
            return null;
        });
        // one session in the instance's database for all of it: each login costs a SCRAM handshake
        admin.inDatabase(database, "setting up the instance's database", inOneTransaction(c -> {
            execute(c, "REVOKE ALL ON SCHEMA public FROM PUBLIC");
            execute(c, "ALTER SCHEMA public OWNER TO " + owner);
            // creating a large object takes no privilege on anything: only the read-write logins may
            execute(c, "REVOKE EXECUTE ON FUNCTION " + LARGE_OBJECT_CREATORS + " FROM PUBLIC");
            execute(c, "GRANT EXECUTE ON FUNCTION " + LARGE_OBJECT_CREATORS + " TO " + owner);
            grantReads(c, instanceId);
            createExtensionsSchema(c);
            if (settings.allowSchemas()) {
                refuseTenantExtensions(c);
            }
            for (String extension : settings.extensions()) {
                execute(
                        c,
                        "CREATE EXTENSION IF NOT EXISTS " + quoteIdentifier(extension) + " SCHEMA "
                                + EXTENSIONS_SCHEMA);
            }
            return null;
        }));
        return Map.of("database", database, "owner_role", owner);
    }

    /**
     * Where the plan requires TLS, the instance's group roles, and through them all its logins, join the role the
     * server's client rules refuse without TLS ({@link PostgresServer#TLS_ONLY_GROUP}); otherwise they leave it, so a
     * plan change moves the bindings already made too. Tenants cannot leave it: that takes the role's admin option.
     */
    private void requireTls(String instanceId, boolean required) {
        String group = PostgresServer.TLS_ONLY_GROUP;
        admin.onServer("applying the plan's TLS requirement", c -> {
            boolean groupExists = exists(c, ROLE_EXISTS, group);
            if (required && !groupExists) {
                try {
                    execute(c, "CREATE ROLE " + group + " NOLOGIN");
                } catch (SQLException e) {
                    if (!exists(c, ROLE_EXISTS, group)) { // another instance's provision may have made it meanwhile
                        throw e;
                    }
                }
            }
            if (required || groupExists) {
                for (String role : List.of(PostgresNames.ownerRole(instanceId), PostgresNames.readerRole(instanceId))) {
                    execute(c, (required ? "GRANT " + group + " TO " : "REVOKE " + group + " FROM ") + role);
                }
            }
            return null;
        });
    }

    /**
     * The schema the plan's extensions go to: the admin's, which the instance may use but not create in, so no object
     * a tenant made can stand in for one an extension's script calls, as PostgreSQL's documentation warns.
     */
    private static void createExtensionsSchema(Connection c) throws SQLException {
        execute(c, "CREATE SCHEMA IF NOT EXISTS " + EXTENSIONS_SCHEMA);
        if (!exists(c, SCHEMA_OWNED_BY_ADMIN, EXTENSIONS_SCHEMA)) {
            throw new SQLException(
                    "the instance has a schema named '" + EXTENSIONS_SCHEMA + "' of its own, where the"
                            + " plan's extensions go; rename it and try again",
                    "42P06");
        }
        execute(c, "GRANT USAGE ON SCHEMA " + EXTENSIONS_SCHEMA + " TO PUBLIC");
    }

    /**
     * Where the instance may create schemas, it may create trusted extensions too: an event trigger refuses those to
     * anyone but a superuser (the admin), so the plan's list stays the list. It needs a superuser admin.
     */
    private static void refuseTenantExtensions(Connection c) throws SQLException {
        execute(
                c,
                "CREATE OR REPLACE FUNCTION " + EXTENSIONS_SCHEMA + ".paasbroker_refuse_extensions()"
                        + " RETURNS event_trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN"
                        + " IF NOT pg_catalog.current_setting('is_superuser')::boolean THEN RAISE EXCEPTION"
                        + " 'extensions come with the plan: ask for one with the extensions parameter of an update'"
                        + " USING ERRCODE = 'insufficient_privilege'; END IF; END $$");
        if (!exists(c, "SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = 'paasbroker_refuse_extensions'")) {
            execute(
                    c,
                    "CREATE EVENT TRIGGER paasbroker_refuse_extensions ON ddl_command_start"
                            + " WHEN TAG IN ('CREATE EXTENSION', 'ALTER EXTENSION')"
                            + " EXECUTE FUNCTION " + EXTENSIONS_SCHEMA + ".paasbroker_refuse_extensions()");
        }
    }

    /** Ends the instance's sessions and drops its database and every role of it. */
    public void dropDatabase(String instanceId) {
        String database = PostgresNames.database(instanceId);
        String owner = PostgresNames.ownerRole(instanceId);
        List<String> bindingRoles = admin.onServer(
                "listing the instance's binding roles",
                c -> strings(
                        c,
                        "SELECT rolname FROM pg_catalog.pg_roles WHERE pg_catalog.starts_with(rolname, ?)"
                                + " ORDER BY rolname",
                        PostgresNames.bindingRolePrefix(instanceId)));
        admin.onServer("closing the instance's connections", c -> {
            for (String role : bindingRoles) {
                execute(c, "ALTER ROLE " + role + " NOLOGIN");
            }
            PostgresLogins.terminateSessions(c, "datname", database);
            return null;
        });
        admin.databaseDdl("dropping the instance's database", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        admin.onServer("dropping the instance's roles", inOneTransaction(c -> {
            for (String role : bindingRoles) {
                execute(c, "DROP ROLE IF EXISTS " + role);
            }
            execute(c, "DROP ROLE IF EXISTS " + PostgresNames.readerRole(instanceId));
            execute(c, "DROP ROLE IF EXISTS " + owner);
            return null;
        }));
    }

    /** A login role of the instance with a new password, read-only where asked: the binding's credentials. */
    public Credentials bind(String instanceId, String bindingId, boolean readOnly) {
        String database = PostgresNames.database(instanceId);
        String owner = PostgresNames.ownerRole(instanceId);
        String role = PostgresNames.bindingRole(instanceId, bindingId);
        String reader = PostgresNames.readerRole(instanceId);
        if (readOnly && !admin.onServer("checking for the reader role", c -> exists(c, ROLE_EXISTS, reader))) {
            grantReader(instanceId); // instances made before read-only bindings existed lack it
        }
        String password = Passwords.generate();
        PostgresLogins.create(admin, instanceId, role, readOnly ? reader : owner, readOnly, password);
        PostgresServer server = admin.server();
        return new PostgresqlCredentials(
                        server.publicHost(), server.publicPort(), database, role, password, server.tls(), readOnly)
                .toCredentials();
    }

    /** Whether the server takes the admin's password now, asked on a connection of its own. */
    public boolean adminPasswordAccepted() {
        return admin.acceptsPassword(admin.server().adminPassword());
    }

    /**
     * Makes the instance's own the tenancy that a copy of another instance's server holds (an RDS instance restored
     * from another's snapshot): the other instance's database and groups take this instance's names, and its binding
     * logins are dropped, so no credentials of the other instance's work here. A server that holds no other
     * instance's database is left as it is, so this may run again.
     */
    public void adoptCopiedTenancy(String instanceId) {
        String database = PostgresNames.database(instanceId);
        String owner = PostgresNames.ownerRole(instanceId);
        List<String> copied = admin.onServer(
                "looking for the copied instance's database",
                c -> strings(
                        c,
                        "SELECT datname FROM pg_catalog.pg_database WHERE datname ~ ? AND datname <> ? ORDER BY 1",
                        PostgresNames.DATABASE_PATTERN,
                        database));
        if (copied.size() > 1) {
            throw new ProvisioningFailedException(
                    "the copied server holds the databases of several instances (" + copied + "), not one");
        }
        admin.onServer("renaming the copied instance's database and groups", inOneTransaction(c -> {
            // in the same transaction: no moment when the copied logins may log into this instance's database
            for (String login : copiedLogins(c, instanceId)) {
                execute(c, "ALTER ROLE " + login + " NOLOGIN");
            }
            if (!copied.isEmpty()) {
                String from = copied.get(0);
                execute(c, "ALTER DATABASE " + from + " RENAME TO " + database);
                execute(c, "ALTER ROLE " + PostgresNames.ownerOf(from) + " RENAME TO " + owner);
                if (exists(c, ROLE_EXISTS, PostgresNames.readerOf(from))) {
                    execute(
                            c,
                            "ALTER ROLE " + PostgresNames.readerOf(from) + " RENAME TO "
                                    + PostgresNames.readerRole(instanceId));
                }
            }
            return null;
        }));
        // every run drops what is left of them, so a run cut short between the rename and here is finished by the next
        for (String login : admin.onServer("listing the copied instance's logins", c -> copiedLogins(c, instanceId))) {
            PostgresLogins.drop(admin, database, owner, login);
        }
    }

    /** The login roles of other instances' bindings on this server: only a copy of another's server has any. */
    private static List<String> copiedLogins(Connection c, String instanceId) throws SQLException {
        return strings(
                c,
                "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname ~ ?"
                        + " AND NOT pg_catalog.starts_with(rolname, ?) ORDER BY 1",
                PostgresNames.BINDING_ROLE_PATTERN,
                PostgresNames.bindingRolePrefix(instanceId));
    }

    /** Revokes the binding's login: see {@link PostgresLogins#drop}. */
    public void unbind(String instanceId, String bindingId) {
        PostgresLogins.drop(admin, instanceId, PostgresNames.bindingRole(instanceId, bindingId));
    }

    private List<String> protectedDatabases() {
        List<String> names = new ArrayList<>(List.of("postgres", "template1"));
        names.addAll(admin.server().protectedDatabases());
        return names;
    }

    /**
     * The reader group: CONNECT, USAGE on the owner's schemas and SELECT on its tables and sequences, now and (by
     * default privileges) for what the owner role creates later. Idempotent.
     */
    private void grantReader(String instanceId) {
        admin.onServer("creating the instance's reader role", c -> {
            createReader(c, instanceId);
            return null;
        });
        admin.inDatabase(PostgresNames.database(instanceId), "granting the reader role its reads", c -> {
            grantReads(c, instanceId);
            return null;
        });
    }

    /** The reader role, with CONNECT on the instance's database; on the maintenance database. */
    private static void createReader(Connection c, String instanceId) throws SQLException {
        String reader = PostgresNames.readerRole(instanceId);
        if (!exists(c, ROLE_EXISTS, reader)) {
            execute(c, "CREATE ROLE " + reader + " NOLOGIN");
        }
        execute(c, "GRANT CONNECT ON DATABASE " + PostgresNames.database(instanceId) + " TO " + reader);
    }

    /** The reader role's reads; in the instance's database. */
    private static void grantReads(Connection c, String instanceId) throws SQLException {
        String owner = PostgresNames.ownerRole(instanceId);
        String reader = PostgresNames.readerRole(instanceId);
        List<String> schemas = strings(
                c,
                "SELECT nspname FROM pg_catalog.pg_namespace"
                        + " WHERE nspowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)",
                owner);
        for (String schema : schemas) {
            String quoted = quoteIdentifier(schema);
            execute(c, "GRANT USAGE ON SCHEMA " + quoted + " TO " + reader);
            execute(c, "GRANT SELECT ON ALL TABLES IN SCHEMA " + quoted + " TO " + reader);
            execute(c, "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + quoted + " TO " + reader);
        }
        execute(c, "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " GRANT SELECT ON TABLES TO " + reader);
        execute(c, "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " GRANT SELECT ON SEQUENCES TO " + reader);
        execute(c, "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " GRANT USAGE ON SCHEMAS TO " + reader);
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
