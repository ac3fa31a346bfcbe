package io.paasbroker.azure.testbed.fake;

import io.paasbroker.testbed.ManagedDatabaseServer;
import io.paasbroker.testbed.ManagedPostgres;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Azure Database for PostgreSQL flexible servers, with a real PostgreSQL behind each: its administrator is no
 * superuser but a member of {@code azure_pg_admin}; {@code require_secure_transport} requires TLS of every login, and
 * {@code azure.extensions} is the allow-list of what {@code CREATE EXTENSION} takes, enforced inside the server as
 * Azure does.
 */
final class FlexiblePostgres implements FlexibleServerEngine {

    private static final Set<String> RESERVED_LOGINS =
            Set.of("azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public");
    private static final Set<Integer> STORAGE_SIZES =
            Set.of(32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767);
    /** The extensions Azure lets a server allow-list, among those PostgreSQL ships. */
    private static final Set<String> EXTENSIONS = Set.of(
            "btree_gin",
            "btree_gist",
            "citext",
            "cube",
            "dict_int",
            "fuzzystrmatch",
            "hstore",
            "intarray",
            "isn",
            "lo",
            "ltree",
            "pg_buffercache",
            "pg_prewarm",
            "pg_stat_statements",
            "pg_trgm",
            "pgcrypto",
            "pgrowlocks",
            "pgstattuple",
            "seg",
            "tablefunc",
            "tcn",
            "tsm_system_rows",
            "tsm_system_time",
            "unaccent",
            "uuid-ossp");
    /** Inside every database: CREATE EXTENSION of what {@code azure.extensions} does not list fails, as on Azure. */
    private static final List<String> ALLOW_LIST = List.of(
            "CREATE OR REPLACE FUNCTION public.azure_extension_allow_list() RETURNS event_trigger LANGUAGE plpgsql"
                    + " SET search_path = pg_catalog AS $$ DECLARE command record; BEGIN"
                    + " FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP"
                    + " IF NOT (command.object_identity = ANY (string_to_array(replace("
                    + "coalesce(current_setting('azure.extensions', true), ''), ' ', ''), ','))) THEN"
                    + " RAISE EXCEPTION 'extension \"%\" is not allow-listed for \"azure_pg_admin\" users in Azure"
                    + " Database for PostgreSQL', command.object_identity; END IF; END LOOP; END $$",
            "DROP EVENT TRIGGER IF EXISTS azure_extension_allow_list",
            "CREATE EVENT TRIGGER azure_extension_allow_list ON ddl_command_end WHEN TAG IN ('CREATE EXTENSION')"
                    + " EXECUTE FUNCTION public.azure_extension_allow_list()");

    @Override
    public String type() {
        return "Microsoft.DBforPostgreSQL/flexibleServers";
    }

    @Override
    public int port() {
        return 5432;
    }

    @Override
    public boolean reservedLogin(String login) {
        return RESERVED_LOGINS.contains(login) || login.startsWith("pg_");
    }

    @Override
    public boolean offersStorage(int gb) {
        return STORAGE_SIZES.contains(gb);
    }

    @Override
    public String createMode() {
        return "Create";
    }

    @Override
    public String restorePointProperty() {
        return "pointInTimeUTC";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("require_secure_transport", "on", "azure.extensions", "");
    }

    @Override
    public void checkParameter(String name, String value) {
        if (name.equals("require_secure_transport") && !Set.of("on", "off").contains(value.toLowerCase())) {
            throw ArmError.invalid("require_secure_transport is on or off, not '" + value + "'");
        }
        if (name.equals("azure.extensions")) {
            for (String extension : value.split(",")) {
                if (!extension.isBlank()
                        && !EXTENSIONS.contains(extension.strip().toLowerCase())) {
                    throw ArmError.invalid("'" + extension.strip() + "' is not among the extensions Azure supports");
                }
            }
        }
    }

    @Override
    public ManagedDatabaseServer start(
            Path directory, TestBedCertificates certificates, String login, String password) {
        ManagedPostgres server =
                ManagedPostgres.start(directory, certificates, "azure_pg_admin", login, password, null, true);
        for (String database : List.of("template1", "postgres")) {
            server.asSuperuser(database, ALLOW_LIST);
        }
        return server;
    }

    /** A restored server is a {@link ManagedPostgres} too: {@code restoredAt} makes one of its own kind. */
    @Override
    public void apply(ManagedDatabaseServer server, String name, String value) {
        if (name.equals("require_secure_transport")) {
            server.requireTls(value.equalsIgnoreCase("on"));
        } else if (name.equals("azure.extensions")) {
            ((ManagedPostgres) server).setCloudParameter(name, value.replace(" ", ""));
        }
    }
}
