package io.paasbroker.provisioner.local.postgres;

import static io.paasbroker.provisioner.local.common.TestJdbc.string;
import static io.paasbroker.provisioner.local.common.TestJdbc.strings;
import static io.paasbroker.provisioner.local.common.TestJdbc.unchecked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ClosedPort;
import io.paasbroker.provisioner.local.common.JdbcSecondAdmin;
import io.paasbroker.provisioner.local.common.LocalPlans;
import io.paasbroker.provisioner.local.common.ServerProvisionerContract;
import io.paasbroker.provisioner.local.common.TestJdbc;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The provisioner contract and PostgreSQL's own guarantees, on a real server that checks passwords. */
@Timeout(60)
class LocalPostgresProvisionerIT extends ServerProvisionerContract<LocalPostgresProvisioner> {

    private static final String HOST = "127.0.0.1";
    private static final String ADMIN = "postgres";
    private static final String ADMIN_PASSWORD = Passwords.generate();
    private static final String PROTECTED_DATABASE = "broker_state";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String TOO_MANY_CONNECTIONS = "53300";
    private static final String PASSWORD_REFUSED = "28P01";

    private static EmbeddedPostgres postgres;
    private static LocalPostgresProvisioner provisioner;

    LocalPostgresProvisionerIT() {
        super("PostgreSQL", "conection_limit");
    }

    @BeforeAll
    static void startAServerThatChecksPasswords() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", HOST)
                .setServerConfig("password_encryption", "scram-sha-256")
                .setConnectConfig("password", ADMIN_PASSWORD)
                .start();
        // the embedded server trusts everyone: give the admin a password, then make the server check it
        asAdmin(c -> execute(c, "ALTER ROLE " + ADMIN + " PASSWORD '" + ADMIN_PASSWORD + "'"));
        String hbaFile = asAdmin(c -> string(c, "SHOW hba_file"));
        Files.writeString(
                Path.of(hbaFile), "local all all scram-sha-256\nhost all all " + HOST + "/32 scram-sha-256\n");
        asAdmin(c -> string(c, "SELECT pg_reload_conf()::text"));
        awaitPasswordsChecked();
        asAdmin(c -> execute(c, "CREATE DATABASE " + PROTECTED_DATABASE));
        provisioner = new LocalPostgresProvisioner(List.of(new PostgresServer(
                "shared",
                HOST,
                postgres.getPort(),
                ADMIN,
                ADMIN_PASSWORD,
                HOST,
                postgres.getPort(),
                List.of(PROTECTED_DATABASE),
                Duration.ofSeconds(5),
                ServerTls.OFF)));
    }

    @AfterAll
    static void stop() throws IOException {
        if (provisioner != null) {
            provisioner.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    // --- the contract's hooks

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new PostgresSession(
                unchecked(() -> DriverManager.getConnection(text(credentials, "jdbcUrl"))), credentials);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        return asAdmin(c -> strings(
                c,
                "WITH instance (prefix) AS (VALUES (?))"
                        + " SELECT datname FROM pg_database, instance WHERE starts_with(datname, prefix)"
                        + " UNION ALL SELECT rolname FROM pg_roles, instance WHERE starts_with(rolname, prefix)",
                PostgresNames.database(instanceId)));
    }

    @Override
    protected Plan planWith(Map<String, Object> properties) {
        return plan(properties);
    }

    @Override
    protected LocalPostgresProvisioner onClosedPort(String name, String adminPassword) throws IOException {
        int closedPort = ClosedPort.on(HOST);
        return new LocalPostgresProvisioner(List.of(new PostgresServer(
                name,
                HOST,
                closedPort,
                ADMIN,
                adminPassword,
                HOST,
                closedPort,
                List.of(),
                Duration.ofSeconds(1),
                ServerTls.OFF)));
    }

    @Override
    protected SecondAdmin<LocalPostgresProvisioner> secondAdmin(String password) {
        String account = "rotating_admin_" + newId().substring(0, 8);
        asAdmin(c -> execute(c, "CREATE ROLE " + account + " LOGIN SUPERUSER PASSWORD '" + password + "'"));
        LocalPostgresProvisioner rotating = new LocalPostgresProvisioner(List.of(new PostgresServer(
                "rotating",
                HOST,
                postgres.getPort(),
                account,
                password,
                HOST,
                postgres.getPort(),
                List.of(PROTECTED_DATABASE),
                Duration.ofSeconds(5),
                ServerTls.OFF)));
        return new JdbcSecondAdmin<>(
                rotating,
                login -> () -> DriverManager.getConnection(jdbcUrl("postgres"), account, login),
                PASSWORD_REFUSED,
                () -> asAdmin(c -> execute(c, "DROP ROLE " + account)));
    }

    /** Reads and writes a one-row table {@code marker} in the instance's database. */
    private record PostgresSession(Connection connection, Credentials credentials) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            unchecked(() -> {
                execute(connection, "CREATE TABLE IF NOT EXISTS marker (value text)");
                execute(connection, "DELETE FROM marker");
                return update(connection, "INSERT INTO marker (value) VALUES (?)", marker);
            });
        }

        @Override
        public String readMarker() {
            return unchecked(() -> marker(connection));
        }

        @Override
        public String readMarkerOf(Credentials other) {
            return unchecked(() -> {
                try (Connection foreign = connect(credentials, text(other, "name"))) {
                    return marker(foreign);
                }
            });
        }

        private static String marker(Connection c) throws SQLException {
            return string(c, "SELECT CASE WHEN to_regclass('marker') IS NOT NULL THEN (SELECT value FROM marker) END");
        }

        @Override
        public void close() {
            unchecked(() -> {
                connection.close();
                return null;
            });
        }
    }

    // --- PostgreSQL's own guarantees

    @Test
    void tableCreatedThroughOneBindingIsReadableAndWritableThroughAnotherBinding() throws SQLException {
        String instance = provision();
        Credentials creator = bind(instance, newId());
        Credentials colleague = bind(instance, newId());
        try (Connection c = connect(creator)) {
            createNotes(c, "by the creator");
        }

        assertThat(addNoteAndReadAll(colleague, "by a colleague")).containsExactly("by a colleague", "by the creator");
    }

    @Test
    void tableCreatedThroughOneBindingStaysReadableAndWritableThroughAnotherAfterTheFirstIsUnbound()
            throws SQLException {
        String instance = provision();
        String first = newId();
        Credentials creator = bind(instance, first);
        Credentials successor = bind(instance, newId());
        try (Connection c = connect(creator)) {
            createNotes(c, "by the creator");
        }

        unbind(instance, first);

        assertThat(addNoteAndReadAll(successor, "by the successor"))
                .containsExactly("by the creator", "by the successor");
    }

    @Test
    void tableCreatedUnderTheBindingsOwnLoginRoleIsHandedToTheInstanceOnUnbind() throws SQLException {
        String instance = provision();
        String first = newId();
        Credentials creator = bind(instance, first);
        Credentials successor = bind(instance, newId());
        try (Connection c = connect(creator)) {
            // step out of the owner role a binding acts as by default (RESET ROLE would return to it)
            execute(c, "SET ROLE NONE");
            assertThat(string(c, "SELECT current_user")).isEqualTo(text(creator, "username"));
            createNotes(c, "by the creator's login role");
        }

        unbind(instance, first);

        assertThat(addNoteAndReadAll(successor, "by the successor"))
                .containsExactly("by the creator's login role", "by the successor");
    }

    @Test
    void unbindEndsTheBindingsOpenSessions() throws SQLException {
        String instance = provision();
        String binding = newId();
        Credentials credentials = bind(instance, binding);

        try (Connection open = connect(credentials)) {
            unbind(instance, binding);

            assertThatThrownBy(() -> execute(open, "SELECT 1"), "using a session opened before unbind")
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void deprovisionSucceedsWhileTenantsAreConnected() throws SQLException {
        String instance = provision();
        Credentials credentials = bind(instance, newId());

        try (Connection open = connect(credentials)) {
            deprovision(instance);

            assertThat(resourcesLeftFor(instance)).isEmpty();
        }
    }

    @Test
    void tenantCanConnectToItsOwnDatabaseOnly() throws SQLException {
        Credentials tenant = bind(provision(), newId());
        Credentials neighbour = bind(provision(), newId());
        try (Connection own = connect(tenant)) {
            assertThat(string(own, "SELECT current_database()")).isEqualTo(text(tenant, "name"));
        }

        for (String database : List.of("postgres", "template1", PROTECTED_DATABASE, text(neighbour, "name"))) {
            assertRefused(() -> connect(tenant, database).close(), INSUFFICIENT_PRIVILEGE, database);
        }
    }

    @Test
    void tenantReadsNoOtherInstancesIdOrPlatformLabelsInTheServersSharedCatalogs() throws SQLException {
        String neighbour = provision();
        Credentials tenant = bind(provision(), newId());

        try (Connection c = connect(tenant)) {
            String comments = string(c, "SELECT coalesce(string_agg(description, ' | '), '') FROM pg_shdescription");

            assertThat(comments).doesNotContain(neighbour);
            assertThat(request(neighbour).labels().values())
                    .allSatisfy(label -> assertThat(comments).doesNotContain(label));
        }
    }

    @Test
    void credentialsCarryTheConventionalFields() {
        String instance = provision();

        Map<String, Object> values = bind(instance, newId()).values();

        assertThat(values)
                .containsKeys("uri", "jdbcUrl", "hostname", "port", "name", "username", "password")
                .containsEntry("hostname", HOST)
                .containsEntry("port", postgres.getPort())
                .containsEntry("name", PostgresNames.database(instance));
        assertThat((String) values.get("uri")).startsWith("postgres://");
        assertThat((String) values.get("jdbcUrl")).startsWith("jdbc:postgresql://");
    }

    @Test
    void uriAndJdbcUrlBothLogInAsTheBindingsUser() throws SQLException {
        Credentials credentials = bind(provision(), newId());
        URI uri = URI.create(text(credentials, "uri"));
        String[] userInfo = uri.getRawUserInfo().split(":", 2);

        try (Connection viaUri = DriverManager.getConnection(
                        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                        decode(userInfo[0]),
                        decode(userInfo[1]));
                Connection viaJdbcUrl = DriverManager.getConnection(text(credentials, "jdbcUrl"))) {
            for (Connection c : List.of(viaUri, viaJdbcUrl)) {
                assertThat(string(c, "SELECT session_user || '@' || current_database()"))
                        .isEqualTo(text(credentials, "username") + "@" + text(credentials, "name"));
            }
        }
    }

    @Test
    void planConnectionLimitCapsTheTenantsConnections() throws SQLException {
        String instance = provision(plan(Map.of("server", "shared", "connection_limit", 1)));
        Credentials credentials = bind(instance, newId());

        try (Connection first = connect(credentials)) {
            assertRefused(() -> connect(credentials).close(), TOO_MANY_CONNECTIONS, "a second connection");
        }
    }

    @Test
    void checkPlanRejectsAPlanRequiringTlsOnAServerWithoutIt() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan(Map.of("server", "shared", "require_tls", true))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("plan 'small' (plan-local-pg)")
                .hasMessageContaining("require_tls needs a server that offers TLS");
    }

    @Test
    void checkPlanRejectsAConnectionLimitOfZero() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan(Map.of("server", "shared", "connection_limit", 0))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("plan 'small' (plan-local-pg)")
                .hasMessageContaining("connection_limit");
    }

    // --- read-only bindings and extensions

    @Test
    void readOnlyBindingReadsEverythingAndWritesNothing() throws SQLException {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        try (Connection c = connect(writer)) {
            createNotes(c, "before the reader");
        }
        Credentials reader = provisioner().bind(new BindRequest(request(instance), newId(), Map.of("read_only", true)));
        try (Connection c = connect(writer)) {
            execute(c, "CREATE TABLE later (v text)");
            execute(c, "INSERT INTO later VALUES ('after the reader')");
        }

        try (Connection c = connect(reader)) {
            assertThat(strings(c, "SELECT body FROM notes")).containsExactly("before the reader");
            assertThat(strings(c, "SELECT v FROM later")).containsExactly("after the reader");
            for (String write : List.of(
                    "INSERT INTO notes VALUES ('x')",
                    "UPDATE notes SET body = 'x'",
                    "DELETE FROM notes",
                    "CREATE TABLE mine (v int)",
                    "DROP TABLE notes",
                    "SET default_transaction_read_only = off; INSERT INTO notes VALUES ('x')",
                    "SET default_transaction_read_only = off; SELECT lo_from_bytea(0, 'x')",
                    "SET default_transaction_read_only = off; SELECT lo_creat(-1)")) {
                assertThatThrownBy(() -> execute(c, write)).as(write).isInstanceOf(SQLException.class);
            }
        }
        try (Connection c = connect(writer)) {
            assertThat(strings(c, "SELECT body FROM notes")).containsExactly("before the reader");
            String largeObject = string(c, "SELECT lo_from_bytea(0, 'a large object')::text");
            assertThat(string(c, "SELECT convert_from(lo_get(" + largeObject + "), 'UTF8')"))
                    .isEqualTo("a large object");
        }
    }

    @Test
    void planDefaultAndRequestedExtensionsAreCreated() throws SQLException {
        Plan plan = plan(Map.of(
                "server", "shared",
                "allowed_extensions", List.of("citext", "pgcrypto"),
                "default_extensions", List.of("citext")));
        String instance = newId();
        InstanceRequest request =
                new InstanceRequest(instance, plan, Map.of("extensions", List.of("pgcrypto")), Map.of(), Map.of());
        provisioner().checkParameters(plan, request.parameters());
        provisioner().provision(request);
        try {
            Credentials tenant = provisioner().bind(new BindRequest(request, newId(), Map.of()));
            try (Connection c = connect(tenant)) {
                assertThat(strings(c, "SELECT extname FROM pg_extension ORDER BY extname"))
                        .contains("citext", "pgcrypto");
                assertThat(strings(c, "SELECT length(gen_random_uuid()::text)::text"))
                        .containsExactly("36");
            }
        } finally {
            provisioner().deprovision(request);
        }
    }

    @Test
    void anExtensionThePlanDoesNotAllowIsRejectedByName() {
        Plan plan = plan(Map.of("server", "shared", "allowed_extensions", List.of("citext")));

        assertThatThrownBy(() -> provisioner().checkParameters(plan, Map.of("extensions", List.of("plpython3u"))))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("plpython3u");
    }

    @Test
    void checkPlanRejectsADefaultExtensionThatIsNotAllowed() {
        assertThatThrownBy(() -> provisioner()
                        .checkPlan(plan(Map.of("server", "shared", "default_extensions", List.of("citext")))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("citext");
    }

    // --- a hostile tenant

    @Test
    void objectsATenantPlantsNeverRunInAnAdminSession() throws Exception {
        Plan plan = hostilePlan(30);
        Plan bigger = hostilePlan(40);
        String instance = newId();
        InstanceRequest withExtension =
                new InstanceRequest(instance, plan, Map.of("extensions", List.of("pgcrypto")), Map.of(), Map.of());
        provisioner.provision(withExtension);
        String copy = newId();
        InstanceRequest copyRequest = new InstanceRequest(copy, plan, Map.of(), Map.of(), Map.of());
        try {
            String planter = newId();
            Credentials tenant = provisioner.bind(new BindRequest(withExtension, planter, Map.of()));
            try (Connection c = connect(tenant)) {
                plantTraps(c);
                assertThat(string(c, "SELECT ('x'::name = 'x'::varchar)::text"))
                        .as("the planted operator is the one a tenant's own session picks")
                        .isEqualTo("true");
                assertThat(strings(c, "SELECT DISTINCT caller FROM public.trap_calls"))
                        .as("and it runs, and it records who ran it")
                        .containsExactly(PostgresNames.bindingRole(instance, planter));
            }

            // every step that enters the tenant's database, with the traps in place
            provisioner.provision(withExtension);
            provisioner.update(new UpdateRequest(withExtension, plan, Map.of()));
            InstanceRequest onBigger =
                    new InstanceRequest(instance, bigger, withExtension.parameters(), Map.of(), Map.of());
            provisioner.update(new UpdateRequest(onBigger, plan, withExtension.parameters()));
            String writer = newId();
            String reader = newId();
            provisioner.bind(new BindRequest(onBigger, writer, Map.of()));
            provisioner.bind(new BindRequest(onBigger, reader, Map.of("read_only", true)));
            provisioner.unbind(new BindRequest(onBigger, writer, Map.of()));
            provisioner.unbind(new BindRequest(onBigger, reader, Map.of()));
            ByteArrayOutputStream backup = new ByteArrayOutputStream();
            provisioner.backups().orElseThrow().backup(onBigger, backup);
            provisioner.provision(copyRequest);
            provisioner.backups().orElseThrow().restore(copyRequest, new ByteArrayInputStream(backup.toByteArray()));
            provisioner.unbind(new BindRequest(onBigger, planter, Map.of()));

            for (String database : List.of(PostgresNames.database(instance), PostgresNames.database(copy))) {
                List<String> callers =
                        asAdminIn(database, c -> strings(c, "SELECT DISTINCT caller FROM public.trap_calls"));
                assertThat(callers)
                        .as("who ran a planted object in %s", database)
                        .allSatisfy(caller -> assertThat(caller).matches("pb_[0-9a-f]{24}_b[0-9a-fm]+"));
            }
            String restoredRows =
                    asAdminIn(PostgresNames.database(copy), c -> string(c, "SELECT count(*)::text FROM guarded"));
            assertThat(restoredRows)
                    .as("the restore ran the tenant's check constraint, as the tenant")
                    .isEqualTo("3");
        } finally {
            provisioner.deprovision(copyRequest);
            provisioner.deprovision(withExtension);
        }
        assertThat(resourcesLeftFor(instance)).isEmpty();
        assertThat(resourcesLeftFor(copy)).isEmpty();
    }

    @Test
    void anAdminPasswordRotationAndTheStepsAfterItRunNoObjectATenantPlanted() throws Exception {
        try (SecondAdmin<LocalPostgresProvisioner> account = secondAdmin(adminPassword())) {
            LocalPostgresProvisioner rotating = account.provisioner();
            InstanceRequest instance =
                    new InstanceRequest(newId(), plan(Map.of("server", "rotating")), Map.of(), Map.of(), Map.of());
            rotating.provision(instance);
            try {
                Credentials tenant = rotating.bind(new BindRequest(instance, newId(), Map.of()));
                try (Connection c = connect(tenant)) {
                    plantTraps(c);
                }

                rotating.adminPasswordRotation().orElseThrow().rotateAdminPassword("rotating", adminPassword());
                rotating.provision(instance);
                rotating.bind(new BindRequest(instance, newId(), Map.of("read_only", true)));

                List<String> callers = asAdminIn(
                        PostgresNames.database(instance.instanceId()),
                        c -> strings(c, "SELECT DISTINCT caller FROM public.trap_calls"));
                assertThat(callers).allSatisfy(caller -> assertThat(caller).matches("pb_[0-9a-f]{24}_b[0-9a-fm]+"));
            } finally {
                rotating.deprovision(instance);
            }
        }
    }

    @Test
    void aTenantCanLiftNeitherItsConnectionLimitNorItsSettingsNorMakeAnExtension() throws SQLException {
        Plan plan = plan(Map.of(
                "server",
                "shared",
                "connection_limit",
                5,
                "limits",
                Map.of("temp_file_limit", "64MB", "statement_timeout", "30s")));
        String instance = provision(plan);
        String database = PostgresNames.database(instance);
        try (Connection c = connect(bind(instance, newId()))) {
            assertRefusedStatement(c, "ALTER DATABASE " + database + " CONNECTION LIMIT -1");
            assertRefusedStatement(c, "ALTER DATABASE " + database + " SET search_path = public, pg_catalog");
            assertRefusedStatement(c, "ALTER DATABASE " + database + " RESET temp_file_limit");
            assertRefusedStatement(c, "SET temp_file_limit = -1");
            assertRefusedStatement(c, "CREATE EXTENSION btree_gist");
            assertRefusedStatement(c, "CREATE EXTENSION hstore");
            assertRefusedStatement(c, "CREATE SCHEMA elsewhere");
            assertThat(string(c, "SHOW temp_file_limit")).isEqualTo("64MB");
            assertThat(string(c, "SHOW statement_timeout")).isEqualTo("30s");
            execute(c, "CREATE TABLE still_mine (id int)");
        }
        String connectionLimit = asAdmin(
                c -> string(c, "SELECT datconnlimit::text FROM pg_database WHERE datname = '" + database + "'"));
        assertThat(connectionLimit).isEqualTo("5");
    }

    @Test
    void aPlanChangeMovesTheLimitsAndTheRightToMakeSchemas() throws SQLException {
        Plan limited = plan(Map.of("server", "shared", "limits", Map.of("temp_file_limit", "64MB")));
        Plan open = plan(Map.of("server", "shared", "allow_schemas", true));
        String instance = provision(limited);
        Credentials tenant = bind(instance, newId());

        provisioner.update(new UpdateRequest(
                new InstanceRequest(instance, open, Map.of(), Map.of(), Map.of()), limited, Map.of()));
        try (Connection c = connect(tenant)) {
            assertThat(string(c, "SHOW temp_file_limit")).isEqualTo("-1");
            execute(c, "CREATE SCHEMA mine");
        }
        provisioner.update(new UpdateRequest(
                new InstanceRequest(instance, limited, Map.of(), Map.of(), Map.of()), open, Map.of()));
        try (Connection c = connect(tenant)) {
            assertThat(string(c, "SHOW temp_file_limit")).isEqualTo("64MB");
            assertRefusedStatement(c, "CREATE SCHEMA another");
        }
    }

    @Test
    void aPlanThatAllowsSchemasStillKeepsExtensionsToItsList() throws SQLException {
        String instance = provision(hostilePlan(10));
        try (Connection c = connect(bind(instance, newId()))) {
            execute(c, "CREATE SCHEMA mine");
            execute(c, "CREATE TABLE mine.t (id int)");
            assertRefusedStatement(c, "CREATE EXTENSION btree_gist");
            assertRefusedStatement(c, "CREATE TABLE extensions.planted (id int)");
            assertThat(string(c, "SELECT extensions.citext('A') = 'a'")).isEqualTo("t");
        }
    }

    @Test
    void checkPlanRejectsALimitItDoesNotKnowOrAValueThatIsNoSetting() {
        assertThatThrownBy(() ->
                        provisioner.checkPlan(plan(Map.of("server", "shared", "limits", Map.of("work_mem", "1GB")))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("work_mem");
        assertThatThrownBy(() -> provisioner.checkPlan(plan(
                        Map.of("server", "shared", "limits", Map.of("statement_timeout", "1s'; DROP DATABASE x; --")))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("statement_timeout");
    }

    @Test
    void aTenantHoldingALockFailsItsOwnBackupInBoundedTimeWithoutHoldingUpAnotherTenants() throws Exception {
        String locked = provision();
        String other = provision();
        Credentials tenant = bind(locked, newId());
        try (Connection c = connect(tenant)) {
            createNotes(c, "a note");
        }
        try (Connection holder = connect(tenant)) {
            holder.setAutoCommit(false);
            execute(holder, "LOCK TABLE notes IN ACCESS EXCLUSIVE MODE");
            assertABackupStuckOnATenantsLockFailsSoonAndAlone(locked, other, PostgresServer.LOCK_TIMEOUT);
            holder.rollback();
        }
        assertThat(backup(locked))
                .as("once the lock is gone, the backup is taken")
                .isNotEmpty();
        assertThat(resourcesLeftFor(locked)).as("no login of a run is left").noneMatch(name -> name.contains("_bm"));
    }

    /** A plan on the shared server that lets tenants make schemas, with citext for all and pgcrypto on request. */
    private static Plan hostilePlan(int connectionLimit) {
        return plan(Map.of(
                "server",
                "shared",
                "connection_limit",
                connectionLimit,
                "allow_schemas",
                true,
                "allowed_extensions",
                List.of("citext", "pgcrypto"),
                "default_extensions",
                List.of("citext")));
    }

    /**
     * Look-alikes, in the tenant's own schema, of the operators and functions admin SQL uses, for every pair of the
     * argument types it passes: each records who ran it (where the session can write) and fails any session that is
     * not one of an instance's logins, then answers as {@code pg_catalog}'s would, so the tenant's own work goes on.
     * A check constraint calls one too, so a restore of the instance's backup runs it row by row; the tenant also
     * tries to put its schema first for every session of the database.
     */
    private static void plantTraps(Connection c) throws SQLException {
        execute(c, "CREATE TABLE public.trap_calls (caller text, trap text)");
        execute(c, "GRANT INSERT ON public.trap_calls TO PUBLIC");
        execute(c, """
                CREATE FUNCTION public.trap(what text) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN
                  BEGIN
                    INSERT INTO public.trap_calls VALUES (session_user, what);
                  EXCEPTION WHEN OTHERS THEN NULL; -- a read-only session
                  END;
                  IF session_user::text !~ '^pb_[0-9a-f]{24}_b' THEN
                    RAISE EXCEPTION 'planted % ran in a session of %', what, session_user;
                  END IF;
                  RETURN true;
                END $$""");
        List<String> types = List.of("name", "text", "varchar");
        for (String left : types) {
            for (String right : types) {
                String function = "public.trap_eq_" + left + "_" + right;
                execute(
                        c,
                        "CREATE FUNCTION " + function + "(a " + left + ", b " + right + ") RETURNS boolean"
                                + " LANGUAGE sql AS $$ SELECT public.trap('=') AND a::text OPERATOR(pg_catalog.=) b::text $$");
                execute(
                        c,
                        "CREATE OPERATOR public.= (LEFTARG = " + left + ", RIGHTARG = " + right + ", FUNCTION = "
                                + function + ")");
                execute(
                        c,
                        "CREATE FUNCTION public.starts_with(a " + left + ", b " + right + ") RETURNS boolean"
                                + " LANGUAGE sql AS $$ SELECT public.trap('starts_with')"
                                + " AND pg_catalog.starts_with(a::text, b::text) $$");
            }
            execute(
                    c,
                    "CREATE FUNCTION public.lower(a " + left + ") RETURNS text LANGUAGE sql"
                            + " AS $$ SELECT CASE WHEN public.trap('lower') THEN pg_catalog.lower(a::text) END $$");
        }
        execute(
                c,
                "CREATE FUNCTION public.has_database_privilege(a varchar, b oid, c varchar) RETURNS boolean"
                        + " LANGUAGE sql AS $$ SELECT public.trap('has_database_privilege')"
                        + " AND pg_catalog.has_database_privilege(a::text, b, c::text) $$");
        execute(
                c,
                "CREATE FUNCTION public.pg_terminate_backend(pid integer) RETURNS boolean LANGUAGE sql"
                        + " AS $$ SELECT public.trap('pg_terminate_backend') $$");
        execute(
                c,
                "CREATE FUNCTION public.guard(v int) RETURNS boolean LANGUAGE sql"
                        + " AS $$ SELECT public.trap('check constraint') $$");
        execute(c, "CREATE TABLE public.guarded (v int CHECK (public.guard(v)))");
        execute(c, "INSERT INTO public.guarded VALUES (1), (2), (3)");
        // refused since the admin owns the database; where it was not, it put the planted objects first
        try {
            execute(c, "ALTER DATABASE " + c.getCatalog() + " SET search_path = public, pg_catalog");
        } catch (SQLException refused) {
            assertThat(refused.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        }
    }

    private static void assertRefusedStatement(Connection c, String sql) {
        assertThatThrownBy(() -> execute(c, sql), sql)
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(e.getSQLState())
                                .as("SQL state of %s", e.getMessage())
                                .isEqualTo(INSUFFICIENT_PRIVILEGE));
    }

    // --- backups

    @Test
    void backupRestoredIntoANewInstanceHoldsTheDataOfBackupTimeAndEveryBindingUsesIt() throws SQLException {
        Plan withCitext = extensionPlan();
        String original = provision(withCitext);
        Credentials writer = bind(original, newId());
        try (Connection c = connect(writer)) {
            writeShop(c);
        }
        byte[] backup = backup(original);
        try (Connection c = connect(writer)) {
            execute(c, "INSERT INTO shop.items (name) VALUES ('after the backup')");
            execute(c, "DELETE FROM shop.items WHERE name = 'Apple'");
            execute(c, "DROP VIEW shop.loud_items");
        }

        String copy = provision(withCitext);
        restore(copy, backup);

        Credentials first = bind(copy, newId());
        Credentials second = bind(copy, newId());
        Credentials reader = bind(copy, newId(), Map.of("read_only", true));
        try (Connection c = connect(first)) {
            assertThat(strings(c, "SELECT name FROM shop.items ORDER BY id")).containsExactly("Apple", "Pear");
            assertThat(strings(c, "SELECT loud FROM shop.loud_items ORDER BY loud"))
                    .containsExactly("APPLE", "PEAR");
            assertThat(string(c, "SELECT count(*)::text FROM shop.items WHERE name = 'APPLE'"))
                    .as("citext compares without case")
                    .isEqualTo("1");
            assertThat(string(c, "SELECT nextval('tickets')::text")).isEqualTo("4");
            assertThat(string(c, "SELECT similarity('apple', 'apples') > 0.5 AS similar"))
                    .as("the plan's extension serves the restored index")
                    .isEqualTo("t");
            execute(c, "INSERT INTO shop.items (name) VALUES ('Quince')");
        }
        try (Connection c = connect(second)) {
            execute(c, "ALTER TABLE shop.items ADD COLUMN price int");
            execute(c, "UPDATE shop.items SET price = 1");
            assertThat(strings(c, "SELECT name FROM shop.items ORDER BY id"))
                    .containsExactly("Apple", "Pear", "Quince");
        }
        try (Connection c = connect(reader)) {
            assertThat(strings(c, "SELECT loud FROM shop.loud_items ORDER BY loud"))
                    .containsExactly("APPLE", "PEAR", "QUINCE");
        }
    }

    @Test
    void backupOfOneInstanceHoldsNothingOfAnother() throws SQLException {
        String neighbour = provision();
        try (Connection c = connect(bind(neighbour, newId()))) {
            execute(c, "CREATE TABLE neighbours_secrets (v text)");
            execute(c, "INSERT INTO neighbours_secrets VALUES ('theirs')");
        }
        String tenant = provision();
        try (Connection c = connect(bind(tenant, newId()))) {
            createNotes(c, "mine");
        }

        byte[] backup = backup(tenant);
        String copy = provision();
        restore(copy, backup);

        assertThat(new String(backup, StandardCharsets.ISO_8859_1)).doesNotContain("neighbours_secrets");
        try (Connection c = connect(bind(copy, newId()))) {
            assertThat(strings(c, "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                    .containsExactly("notes");
        }
    }

    @Test
    void restoringTwiceEndsAsRestoringOnce() throws SQLException {
        String original = provision(extensionPlan());
        try (Connection c = connect(bind(original, newId()))) {
            writeShop(c);
        }
        byte[] backup = backup(original);
        String copy = provision(extensionPlan());

        restore(copy, backup);
        restore(copy, backup);

        try (Connection c = connect(bind(copy, newId()))) {
            assertThat(strings(c, "SELECT name FROM shop.items ORDER BY id")).containsExactly("Apple", "Pear");
            assertThat(string(c, "SELECT nextval('tickets')::text")).isEqualTo("4");
        }
    }

    @Test
    void aTruncatedOrCorruptedBackupFailsTheRestoreAndLeavesTheDatabaseAsItWas() throws SQLException {
        String original = provision(extensionPlan());
        try (Connection c = connect(bind(original, newId()))) {
            writeShop(c);
        }
        byte[] backup = backup(original);
        String copy = provision(extensionPlan());
        byte[] corrupted = backup.clone();
        for (int i = backup.length / 3; i < backup.length / 3 + 64; i++) {
            corrupted[i] ^= 0x5a;
        }

        for (byte[] broken : List.of(Arrays.copyOf(backup, backup.length * 2 / 3), corrupted)) {
            assertThatThrownBy(() -> restore(copy, broken))
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("restoring the instance's database on PostgreSQL server 'shared' failed")
                    .hasMessageNotContaining(ADMIN_PASSWORD);
        }
        try (Connection c = connect(bind(copy, newId()))) {
            assertThat(string(c, "SELECT count(*)::text FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                    .isEqualTo("0");
        }
    }

    /** About 50 MB of table, through a counting stream and a temporary file: the broker's memory holds a buffer. */
    @Test
    @Timeout(300)
    void aLargeTableIsStreamedOutAndBackWithoutBeingHeldInMemory() throws Exception {
        String original = provision();
        try (Connection c = connect(bind(original, newId()))) {
            execute(
                    c,
                    "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((-g)::text) AS payload"
                            + " FROM generate_series(1, 500000) AS g");
        }
        String sizeAndChecksum = "SELECT pg_size_pretty(pg_total_relation_size('big')) || ' '"
                + " || md5(string_agg(payload, '' ORDER BY id)) FROM big";
        String expected = asAdminIn(PostgresNames.database(original), c -> string(c, sizeAndChecksum));
        Path file = Files.createTempFile("pg-backup", ".dump");
        try {
            long heapBefore = usedHeap();
            long started = System.nanoTime();
            long written;
            try (CountingOutputStream out = new CountingOutputStream(Files.newOutputStream(file))) {
                provisioner.backups().orElseThrow().backup(request(original), out);
                written = out.count;
            }
            long backedUp = System.nanoTime();
            String copy = provision();
            long restoreStarted = System.nanoTime();
            try (InputStream in = Files.newInputStream(file)) {
                provisioner.backups().orElseThrow().restore(request(copy), in);
            }
            long restored = System.nanoTime();
            long heapAfter = usedHeap();

            assertThat(written).isEqualTo(Files.size(file)).isGreaterThan(1_000_000);
            String restoredSizeAndChecksum = asAdminIn(PostgresNames.database(copy), c -> string(c, sizeAndChecksum));
            assertThat(restoredSizeAndChecksum).isEqualTo(expected);
            System.out.printf(
                    "large table (%s): backup %d ms, %d bytes; restore %d ms; heap used before %d MB, after %d MB%n",
                    expected.split(" ", 3)[0] + " " + expected.split(" ", 3)[1],
                    (backedUp - started) / 1_000_000,
                    written,
                    (restored - restoreStarted) / 1_000_000,
                    heapBefore >> 20,
                    heapAfter >> 20);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A schema of its own with a citext table, a view, a sequence at 3, and an index of the plan's pg_trgm. */
    private static void writeShop(Connection c) throws SQLException {
        execute(c, "CREATE SCHEMA shop");
        execute(c, "CREATE TABLE shop.items (id serial PRIMARY KEY, name citext NOT NULL)");
        execute(c, "CREATE INDEX items_by_trigram ON shop.items USING gin ((name::text) gin_trgm_ops)");
        execute(c, "INSERT INTO shop.items (name) VALUES ('Apple'), ('Pear')");
        execute(c, "CREATE VIEW shop.loud_items AS SELECT upper(name::text) AS loud FROM shop.items");
        execute(c, "COMMENT ON TABLE shop.items IS 'what we sell'");
        execute(c, "CREATE SEQUENCE tickets");
        execute(c, "SELECT nextval('tickets'), nextval('tickets'), nextval('tickets')");
    }

    private static Plan extensionPlan() {
        return plan(Map.of(
                "server",
                "shared",
                "allow_schemas",
                true,
                "allowed_extensions",
                List.of("citext", "pg_trgm"),
                "default_extensions",
                List.of("citext", "pg_trgm")));
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static final class CountingOutputStream extends FilterOutputStream {

        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }

    // --- helpers

    private static Plan plan(Map<String, Object> properties) {
        return LocalPlans.plan("plan-local-pg", "small", "A database on the shared server", "15", properties);
    }

    private static void createNotes(Connection c, String firstNote) throws SQLException {
        execute(c, "CREATE TABLE notes (body text)");
        update(c, "INSERT INTO notes VALUES (?)", firstNote);
    }

    private static List<String> addNoteAndReadAll(Credentials credentials, String note) throws SQLException {
        try (Connection c = connect(credentials)) {
            update(c, "INSERT INTO notes VALUES (?)", note);
            return strings(c, "SELECT body FROM notes ORDER BY body");
        }
    }

    private static void assertRefused(ThrowingCallable connecting, String sqlState, String what) {
        assertThatThrownBy(connecting, "connecting to %s", what)
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(e.getSQLState())
                                .as("SQL state of %s", e.getMessage())
                                .isEqualTo(sqlState));
    }

    /** The embedded server applies a new pg_hba.conf shortly after the reload signal. */
    private static void awaitPasswordsChecked() throws SQLException, InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), ADMIN, "not-the-password")) {
                Thread.sleep(100);
            } catch (SQLException e) {
                if (!PASSWORD_REFUSED.equals(e.getSQLState())) {
                    throw e;
                }
                return;
            }
        }
        throw new IllegalStateException("the embedded server still accepts any password");
    }

    private static Connection connect(Credentials credentials) throws SQLException {
        return connect(credentials, text(credentials, "name"));
    }

    /** A plain JDBC connection with the binding's user and password to any database of the server. */
    private static Connection connect(Credentials credentials, String database) throws SQLException {
        return DriverManager.getConnection(
                jdbcUrl(database), text(credentials, "username"), text(credentials, "password"));
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + postgres.getPort() + "/" + database;
    }

    private static String text(Credentials credentials, String key) {
        return (String) credentials.values().get(key);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static <T> T asAdmin(TestJdbc.SqlWork<T> work) {
        return asAdminIn("postgres", work);
    }

    private static <T> T asAdminIn(String database, TestJdbc.SqlWork<T> work) {
        return TestJdbc.onConnection(() -> DriverManager.getConnection(jdbcUrl(database), ADMIN, ADMIN_PASSWORD), work);
    }

    private static Void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }

    private static Void update(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, value);
            statement.executeUpdate();
        }
        return null;
    }
}
