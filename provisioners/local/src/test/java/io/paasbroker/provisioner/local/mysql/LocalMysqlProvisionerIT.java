package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.TestJdbc.string;
import static io.paasbroker.provisioner.local.common.TestJdbc.strings;
import static io.paasbroker.provisioner.local.common.TestJdbc.unchecked;
import static io.paasbroker.provisioner.local.mysql.EmbeddedMariaDb.ADMIN;
import static io.paasbroker.provisioner.local.mysql.EmbeddedMariaDb.HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.common.ClosedPort;
import io.paasbroker.provisioner.local.common.JdbcSecondAdmin;
import io.paasbroker.provisioner.local.common.LocalPlans;
import io.paasbroker.provisioner.local.common.ServerProvisionerContract;
import io.paasbroker.provisioner.local.common.TestJdbc;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The provisioner contract and MySQL's own guarantees, on a real MariaDB that checks passwords. */
@Timeout(60)
class LocalMysqlProvisionerIT extends ServerProvisionerContract<LocalMysqlProvisioner> {

    /** Access denied to a database (1044) or to a table or one of its commands (1142). */
    private static final Set<Integer> ACCESS_DENIED = Set.of(1044, 1142);

    /** A login refused: the user or its password is wrong. */
    private static final String ACCESS_DENIED_FOR_USER = "28000";

    /** One of the account's own resource limits (MAX_USER_CONNECTIONS, MAX_QUERIES_PER_HOUR) is reached. */
    private static final int USER_LIMIT_REACHED = 1226;

    /** MariaDB ended a statement that ran longer than max_statement_time. */
    private static final int STATEMENT_TIME_EXCEEDED = 1969;

    /** Writes a read-only binding must be refused, in an order a read-write binding can carry out. */
    private static final List<String> WRITES = List.of(
            "INSERT INTO notes VALUES ('a write')",
            "UPDATE notes SET body = 'changed'",
            "DELETE FROM notes",
            "ALTER TABLE notes ADD COLUMN extra int",
            "CREATE TABLE more_notes (body text)",
            "DROP TABLE notes");

    private static EmbeddedMariaDb mariadb;
    private static LocalMysqlProvisioner provisioner;

    LocalMysqlProvisionerIT() {
        super("MySQL", "max_connections");
    }

    @BeforeAll
    static void startAServerThatChecksPasswords() throws Exception {
        mariadb = EmbeddedMariaDb.start();
        provisioner = new LocalMysqlProvisioner(
                List.of(server("shared")), ClientPrograms.in(List.of(mariadb.clientPrograms())));
    }

    @AfterAll
    static void stop() {
        if (provisioner != null) {
            provisioner.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    // --- the contract's hooks

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new MysqlSession(unchecked(() -> DriverManager.getConnection(text(credentials, "jdbcUrl"))));
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        return asAdmin(c -> strings(
                c,
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"
                        + " UNION ALL SELECT User FROM mysql.user WHERE LOCATE(?, User) = 1",
                MysqlNames.database(instanceId),
                MysqlNames.bindingUserPrefix(instanceId)));
    }

    @Override
    protected Plan planWith(Map<String, Object> properties) {
        return plan(properties);
    }

    @Override
    protected LocalMysqlProvisioner onClosedPort(String name, String adminPassword) throws IOException {
        return new LocalMysqlProvisioner(List.of(unreachableServer(name, adminPassword)));
    }

    @Override
    protected SecondAdmin<LocalMysqlProvisioner> secondAdmin(String password) {
        String account = "rotating_admin_" + newId().substring(0, 8);
        asAdmin(c -> {
            execute(c, "CREATE USER '" + account + "'@'" + HOST + "' IDENTIFIED BY ?", password);
            return execute(c, "GRANT ALL PRIVILEGES ON *.* TO '" + account + "'@'" + HOST + "' WITH GRANT OPTION");
        });
        LocalMysqlProvisioner rotating = new LocalMysqlProvisioner(
                List.of(new MysqlServer(
                        "rotating",
                        HOST,
                        mariadb.port(),
                        account,
                        password,
                        HOST,
                        mariadb.port(),
                        Duration.ofSeconds(5),
                        ServerTls.OFF)),
                ClientPrograms.in(List.of(mariadb.clientPrograms())));
        return new JdbcSecondAdmin<>(
                rotating,
                login -> () -> DriverManager.getConnection(mariadb.jdbcUrl(""), account, login),
                ACCESS_DENIED_FOR_USER,
                () -> asAdmin(c -> execute(c, "DROP USER '" + account + "'@'" + HOST + "'")));
    }

    /** Reads and writes a one-row table {@code marker} in the instance's database. */
    private record MysqlSession(Connection connection) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            unchecked(() -> {
                execute(connection, "CREATE TABLE IF NOT EXISTS marker (value text)");
                execute(connection, "DELETE FROM marker");
                return execute(connection, "INSERT INTO marker (value) VALUES (?)", marker);
            });
        }

        @Override
        public String readMarker() {
            return unchecked(() -> {
                boolean written = !strings(
                                connection,
                                "SELECT 1 FROM information_schema.TABLES"
                                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'marker'")
                        .isEmpty();
                return written ? string(connection, "SELECT value FROM marker") : null;
            });
        }

        /** By qualified name, from this session's own database. */
        @Override
        public String readMarkerOf(Credentials other) {
            return unchecked(() -> string(connection, "SELECT value FROM `" + text(other, "name") + "`.marker"));
        }

        @Override
        public void close() {
            unchecked(() -> {
                connection.close();
                return null;
            });
        }
    }

    // --- isolation between instances

    @Test
    void showDatabasesThroughABindingListsItsOwnDatabaseOnly() throws SQLException {
        String neighbour = provision();
        Credentials tenant = bind(provision(), newId());
        List<String> all = asAdmin(c -> strings(c, "SHOW DATABASES"));
        assertThat(all).as("what the admin sees").contains(MysqlNames.database(neighbour), text(tenant, "name"));

        try (Connection c = connect(tenant)) {
            assertThat(strings(c, "SHOW DATABASES"))
                    .containsExactlyInAnyOrder("information_schema", text(tenant, "name"));
        }
    }

    @Test
    void tenantCannotUseReadOrWriteAnotherInstancesDatabaseEvenByQualifiedName() throws SQLException {
        Credentials tenant = bind(provision(), newId());
        Credentials neighbour = bind(provision(), newId());
        String theirs = "`" + text(neighbour, "name") + "`";
        List<String> intoTheirDatabase = List.of(
                "USE " + theirs,
                "SELECT * FROM " + theirs + ".notes",
                "INSERT INTO " + theirs + ".notes VALUES ('planted')",
                "UPDATE " + theirs + ".notes SET body = 'changed'",
                "CREATE TABLE " + theirs + ".planted (body text)",
                "DROP TABLE " + theirs + ".notes");
        try (Connection c = connect(neighbour)) {
            createNotes(c, "their note");
        }

        try (Connection c = connect(tenant)) {
            assertEachDenied(c, intoTheirDatabase);
        }
        try (Connection c = connect(neighbour)) {
            assertEachAllowed(c, intoTheirDatabase);
        }
    }

    @Test
    void tenantCannotCreateADatabaseThatItsOwnNameMatchesAsAPattern() throws SQLException {
        Credentials tenant = bind(provision(), newId());
        String own = text(tenant, "name");
        // in GRANT, '_' matches any character: an unescaped pb_<hash> grant would cover pbx<hash>
        String lookalike = own.replace('_', 'x');

        try (Connection c = connect(tenant)) {
            assertEachAllowed(c, List.of("CREATE DATABASE IF NOT EXISTS `" + own + "`"));
            assertEachDenied(c, List.of("CREATE DATABASE `" + lookalike + "`"));
        }
    }

    // --- what the bindings of one instance share

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

        assertThat(resourcesLeftFor(instance)).doesNotContain(text(creator, "username"));
        try (Connection c = connect(successor)) {
            execute(c, "INSERT INTO notes VALUES (?)", "by the successor");
            assertThat(strings(c, "SELECT body FROM notes ORDER BY body"))
                    .containsExactly("by the creator", "by the successor");
        }
    }

    @Test
    void triggerAndViewCreatedThroughOneBindingKeepWorkingAfterThatBindingIsUnbound() throws SQLException {
        String instance = provision();
        String first = newId();
        Credentials creator = bind(instance, first);
        Credentials successor = bind(instance, newId());
        try (Connection c = connect(creator)) {
            execute(c, "CREATE TABLE notes (body text)");
            execute(c, "CREATE TABLE note_count (n int)");
            execute(c, "INSERT INTO note_count VALUES (0)");
            execute(c, "CREATE TRIGGER count_notes AFTER INSERT ON notes FOR EACH ROW UPDATE note_count SET n = n + 1");
            execute(c, "CREATE VIEW shouted_notes AS SELECT upper(body) AS body FROM notes");
        }

        unbind(instance, first);

        assertLoginRefused(creator);
        try (Connection c = connect(successor)) {
            execute(c, "INSERT INTO notes VALUES (?)", "by the successor");
            assertThat(string(c, "SELECT n FROM note_count")).isEqualTo("1");
            assertThat(string(c, "SELECT body FROM shouted_notes")).isEqualTo("BY THE SUCCESSOR");
        }
        deprovision(instance);
        assertThat(resourcesLeftFor(instance)).as("after deprovision").isEmpty();
    }

    @Test
    void unbindEndsTheBindingsOpenConnectionAndNoOther() throws SQLException {
        String instance = provision();
        String binding = newId();
        Credentials revoked = bind(instance, binding);
        Credentials kept = bind(instance, newId());

        try (Connection open = connect(revoked);
                Connection other = connect(kept)) {
            unbind(instance, binding);

            assertThatThrownBy(() -> execute(open, "SELECT 1"), "using a connection opened before unbind")
                    .isInstanceOf(SQLException.class);
            assertThat(string(other, "SELECT 1"))
                    .as("the other binding's connection")
                    .isEqualTo("1");
        }
    }

    @Test
    void deprovisionSucceedsWhileTenantsAreConnectedAndEndsTheirConnections() throws SQLException {
        String instance = provision();
        Credentials credentials = bind(instance, newId());

        try (Connection open = connect(credentials)) {
            execute(open, "CREATE TABLE notes (body text)");
            execute(open, "START TRANSACTION");
            execute(open, "INSERT INTO notes VALUES ('uncommitted')");

            deprovision(instance);

            assertThat(resourcesLeftFor(instance)).isEmpty();
            assertThatThrownBy(() -> execute(open, "SELECT 1"), "using a connection opened before deprovision")
                    .isInstanceOf(SQLException.class);
        }
    }

    // --- read-only bindings

    @Test
    void readOnlyBindingCanSelectButEveryWriteIsDenied() throws SQLException {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = bindReadOnly(instance);
        try (Connection c = connect(writer)) {
            createNotes(c, "by the writer");
        }

        try (Connection c = connect(reader)) {
            assertThat(strings(c, "SELECT body FROM notes")).containsExactly("by the writer");
            assertEachDenied(c, WRITES);
        }
        try (Connection c = connect(writer)) {
            assertEachAllowed(c, WRITES);
        }
    }

    @Test
    void readOnlyBindingsCredentialsSayReadOnly() {
        String instance = provision();

        assertThat(bindReadOnly(instance).values()).containsEntry("read_only", true);
        assertThat(bind(instance, newId()).values()).containsEntry("read_only", false);
    }

    @Test
    void bindRefusesAReadOnlyParameterThatIsNoBooleanAndCreatesNoUser() {
        String instance = provision();
        List<String> before = resourcesLeftFor(instance);

        assertThatThrownBy(
                        () -> provisioner.bind(new BindRequest(request(instance), newId(), Map.of("read_only", "yes"))))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("read_only");
        assertThat(resourcesLeftFor(instance)).isEqualTo(before);
    }

    // --- credentials

    @Test
    void credentialsCarryTheConventionalFields() {
        String instance = provision();

        Map<String, Object> values = bind(instance, newId()).values();

        assertThat(values)
                .containsKeys("uri", "jdbcUrl", "hostname", "port", "name", "database", "username", "password")
                .containsEntry("hostname", HOST)
                .containsEntry("port", mariadb.port())
                .containsEntry("name", MysqlNames.database(instance))
                .containsEntry("database", MysqlNames.database(instance));
        assertThat((String) values.get("username")).hasSizeLessThanOrEqualTo(32);
        // what validate_password at MEDIUM and simple_password_check ask for
        assertThat((String) values.get("password"))
                .containsPattern("[A-Z]")
                .containsPattern("[a-z]")
                .containsPattern("[0-9]")
                .containsPattern("[^A-Za-z0-9]");
        assertThat((String) values.get("uri")).startsWith("mysql://");
        assertThat((String) values.get("jdbcUrl")).startsWith("jdbc:mysql://");
    }

    @Test
    void jdbcUrlWorksWithTheMariadbDriverAndTheUriNamesTheSameLogin() throws SQLException {
        Credentials credentials = bind(provision(), newId());
        URI uri = URI.create(text(credentials, "uri"));
        String[] userInfo = uri.getRawUserInfo().split(":", 2);

        try (Connection viaJdbcUrl = DriverManager.getConnection(text(credentials, "jdbcUrl"));
                Connection viaUri = DriverManager.getConnection(
                        "jdbc:mariadb://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                        userInfo[0],
                        userInfo[1])) {
            assertThat(viaJdbcUrl.getMetaData().getDriverName()).containsIgnoringCase("MariaDB");
            for (Connection c : List.of(viaJdbcUrl, viaUri)) {
                assertThat(string(c, "SELECT concat(current_user(), ' in ', database())"))
                        .isEqualTo(text(credentials, "username") + "@% in " + text(credentials, "name"));
            }
        }
    }

    // --- plans

    @Test
    void planMaxUserConnectionsCapsEachBindingsConnections() throws SQLException {
        String instance = provision(plan(Map.of("server", "shared", "max_user_connections", 1)));
        Credentials capped = bind(instance, newId());
        Credentials colleague = bind(instance, newId());

        try (Connection first = connect(capped);
                Connection colleagues = connect(colleague)) {
            assertThat(string(first, "SELECT 1")).isEqualTo("1");
            assertThat(string(colleagues, "SELECT 1"))
                    .as("another binding's own connection")
                    .isEqualTo("1");
            assertRefused(() -> connect(capped).close(), USER_LIMIT_REACHED);
        }
    }

    @Test
    void planLimitsCapEachBindingsStatementTimeAndQueriesAndAPlanChangeLiftsThem() throws SQLException {
        Plan limited = plan(Map.of("server", "shared", "max_statement_time", 0.5, "max_queries_per_hour", 40));
        String instance = provision(limited);
        Credentials credentials = bind(instance, newId());

        try (Connection c = connect(credentials)) {
            assertThatThrownBy(() -> string(c, "SELECT SLEEP(5)"))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(STATEMENT_TIME_EXCEEDED));
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 100; i++) {
                            string(c, "SELECT 1");
                        }
                    })
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(USER_LIMIT_REACHED));
        }

        provisioner.update(new UpdateRequest(withPlan(request(instance), plan()), limited, Map.of()));

        try (Connection c = connect(credentials)) {
            assertThat(string(c, "SELECT SLEEP(1)")).isEqualTo("0");
            for (int i = 0; i < 100; i++) {
                string(c, "SELECT 1");
            }
        }
    }

    @Test
    void planChangeAppliesTheNewConnectionLimitToExistingBindings() throws SQLException {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        try (Connection first = connect(credentials);
                Connection second = connect(credentials)) {
            assertThat(string(second, "SELECT 1"))
                    .as("a second connection before the change")
                    .isEqualTo("1");
        }
        InstanceRequest changed =
                withPlan(request(instance), plan(Map.of("server", "shared", "max_user_connections", 1)));

        provisioner.update(new UpdateRequest(changed, plan(), Map.of()));

        try (Connection first = connect(credentials)) {
            assertRefused(() -> connect(credentials).close(), USER_LIMIT_REACHED);
        }
    }

    @Test
    void planChangeToAnotherServerIsRefused() {
        String instance = provision();
        try (LocalMysqlProvisioner twoServers = new LocalMysqlProvisioner(List.of(server("shared"), server("other")))) {
            InstanceRequest moved = withPlan(request(instance), plan(Map.of("server", "other")));

            assertThatThrownBy(() -> twoServers.update(new UpdateRequest(moved, plan(), Map.of())))
                    .isInstanceOf(PlanChangeRefusedException.class)
                    .hasMessageContaining("'shared'")
                    .hasMessageContaining("'other'");
        }
    }

    @Test
    void bindingAnInstanceWhoseDatabaseDoesNotExistFailsAndCreatesNoUser() {
        String never = newId();
        InstanceRequest missing = new InstanceRequest(never, plan(), null, null, null);

        assertThatThrownBy(() -> provisioner.bind(new BindRequest(missing, newId(), Map.of())))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining(MysqlNames.database(never));
        assertThat(resourcesLeftFor(never)).isEmpty();
    }

    @Test
    void checkPlanRejectsAPlanWithoutAServer() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan(Map.of("max_user_connections", 10))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'server'");
    }

    @Test
    void checkPlanRejectsAPlanRequiringTlsOnAServerWithoutIt() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan(Map.of("server", "shared", "require_tls", true))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("require_tls needs a server that offers TLS");
    }

    @Test
    void checkPlanRejectsMaxUserConnectionsOfZero() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan(Map.of("server", "shared", "max_user_connections", 0))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("plan 'small' (plan-local-mysql)")
                .hasMessageContaining("max_user_connections");
    }

    // --- the server's availability

    @Test
    void healthReportsEachServerWithItsVersion() {
        Health health = provisioner.health();

        assertThat(health.isUp()).isTrue();
        assertThat(health.resourcesUp()).containsOnlyKeys("shared");
        assertThat(health.resourcesUp().get("shared")).startsWith("MariaDB 11.4");
    }

    @Test
    void unreachableServerIsReportedDownByHealthWithoutThePassword() throws IOException {
        String password = Passwords.generate();

        try (LocalMysqlProvisioner unreachable =
                new LocalMysqlProvisioner(List.of(unreachableServer("down", password)))) {
            Health health = unreachable.health();

            assertThat(health.isUp()).isFalse();
            assertThat(health.problemsByResource()).containsOnlyKeys("down");
            assertThat(health.problemsByResource().get("down"))
                    .contains("MySQL server 'down'")
                    .doesNotContain(password);
        }
    }

    // --- backups

    @Test
    void backupRestoredIntoANewInstanceHoldsTheDataOfBackupTimeAndEveryBindingUsesIt() throws SQLException {
        String original = provision();
        String creatorBinding = newId();
        Credentials creator = bind(original, creatorBinding);
        try (Connection c = connect(creator)) {
            writeShop(c);
        }
        byte[] backup = backup(original);
        try (Connection c = connect(creator)) {
            execute(c, "INSERT INTO items (name) VALUES ('after the backup')");
            execute(c, "DELETE FROM items WHERE name = 'apple'");
            execute(c, "DROP VIEW loud_items");
        }

        String copy = provision();
        restore(copy, backup);

        String firstBinding = newId();
        Credentials first = bind(copy, firstBinding);
        Credentials second = bind(copy, newId());
        try (Connection c = connect(first)) {
            assertThat(strings(c, "SELECT name FROM items ORDER BY id")).containsExactly("APPLE", "PEAR");
            assertThat(strings(c, "SELECT HEX(photo) FROM items ORDER BY id")).containsExactly("00FF0A0D5C27", null);
            assertThat(strings(c, "SELECT loud FROM loud_items ORDER BY loud")).containsExactly("APPLE!", "PEAR!");
            execute(c, "INSERT INTO items (name) VALUES ('quince')");
            assertThat(strings(c, "SELECT item_count()")).containsExactly("3");
        }
        unbind(copy, firstBinding);
        try (Connection c = connect(second)) {
            execute(c, "CALL add_item('fig')");
            assertThat(strings(c, "SELECT loud FROM loud_items ORDER BY loud"))
                    .as("trigger, view, procedure and function run, defined by the restore's account")
                    .containsExactly("APPLE!", "FIG!", "PEAR!", "QUINCE!");
        }
        String database = MysqlNames.database(copy);
        List<String> definers = asAdmin(c -> strings(
                c,
                "SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?"
                        + " UNION SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?"
                        + " UNION SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?",
                database,
                database,
                database));
        assertThat(definers).containsExactly(MysqlNames.restoreUser(copy) + "@%");
    }

    @Test
    void backupOfOneInstanceHoldsNothingOfAnotherNorTheNamesOfItsUsers() throws SQLException {
        try (Connection c = connect(bind(provision(), newId()))) {
            execute(c, "CREATE TABLE neighbours_secrets (v text)");
            execute(c, "INSERT INTO neighbours_secrets VALUES ('theirs')");
        }
        String tenant = provision();
        Credentials tenantBinding = bind(tenant, newId());
        try (Connection c = connect(tenantBinding)) {
            writeShop(c);
        }

        String backup = new String(backup(tenant), StandardCharsets.UTF_8);

        assertThat(backup)
                .contains("loud_items")
                .doesNotContain("neighbours_secrets", "theirs", text(tenantBinding, "username"));
    }

    @Test
    void aTenantHoldingALockFailsItsOwnBackupInBoundedTimeWithoutHoldingUpAnotherTenants() throws Exception {
        String locked = provision();
        String other = provision();
        Credentials tenant = bind(locked, newId());
        try (Connection holder = connect(tenant)) {
            execute(holder, "CREATE TABLE notes (body text)");
            execute(holder, "LOCK TABLES notes WRITE");
            assertABackupStuckOnATenantsLockFailsSoonAndAlone(locked, other, MysqlServer.LOCK_TIMEOUT);
            execute(holder, "UNLOCK TABLES");
        }
        assertThat(backup(locked))
                .as("once the lock is gone, the backup is taken")
                .isNotEmpty();
    }

    @Test
    void restoringTwiceEndsAsRestoringOnce() throws SQLException {
        String original = provision();
        try (Connection c = connect(bind(original, newId()))) {
            writeShop(c);
        }
        byte[] backup = backup(original);
        String copy = provision();

        restore(copy, backup);
        restore(copy, backup);

        try (Connection c = connect(bind(copy, newId()))) {
            assertThat(strings(c, "SELECT name FROM items ORDER BY id")).containsExactly("APPLE", "PEAR");
            assertThat(strings(c, "SELECT item_count()")).containsExactly("2");
        }
    }

    @Test
    void aTruncatedOrCorruptedBackupFailsTheRestore() throws SQLException {
        String original = provision();
        try (Connection c = connect(bind(original, newId()))) {
            writeShop(c);
        }
        byte[] backup = backup(original);
        String text = new String(backup, StandardCharsets.UTF_8);
        byte[] cutAtALineEnd = Arrays.copyOf(backup, text.indexOf("\n", text.indexOf("INSERT INTO")) + 1);
        byte[] corrupted = text.replace("INSERT INTO", "INSERT INFO").getBytes(StandardCharsets.UTF_8);
        String copy = provision();

        for (byte[] broken : List.of(cutAtALineEnd, corrupted)) {
            assertThatThrownBy(() -> restore(copy, broken))
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("restoring the instance's database")
                    .hasMessageNotContaining(mariadb.adminPassword());
        }
        assertThat(resourcesLeftFor(copy))
                .as("the restore's account is gone: it defines nothing")
                .containsExactly(MysqlNames.database(copy));
    }

    /** A table with a binary column, a view, a trigger, a procedure and a function: the last three with definers. */
    private static void writeShop(Connection c) throws SQLException {
        execute(c, "CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50), photo blob)");
        execute(c, "CREATE TRIGGER shout BEFORE INSERT ON items FOR EACH ROW SET NEW.name = UPPER(NEW.name)");
        execute(c, "INSERT INTO items (name, photo) VALUES ('apple', UNHEX('00FF0A0D5C27')), ('pear', NULL)");
        execute(c, "CREATE VIEW loud_items AS SELECT CONCAT(name, '!') AS loud FROM items");
        execute(c, "CREATE PROCEDURE add_item(item varchar(50)) INSERT INTO items (name) VALUES (item)");
        execute(c, "CREATE FUNCTION item_count() RETURNS int READS SQL DATA RETURN (SELECT COUNT(*) FROM items)");
    }

    // --- helpers

    private static MysqlServer server(String name) {
        return new MysqlServer(
                name,
                HOST,
                mariadb.port(),
                ADMIN,
                mariadb.adminPassword(),
                HOST,
                mariadb.port(),
                Duration.ofSeconds(5),
                ServerTls.OFF);
    }

    private static MysqlServer unreachableServer(String name, String password) throws IOException {
        int closedPort = ClosedPort.on(HOST);
        return new MysqlServer(
                name, HOST, closedPort, ADMIN, password, HOST, closedPort, Duration.ofSeconds(1), ServerTls.OFF);
    }

    private static Plan plan(Map<String, Object> properties) {
        return LocalPlans.plan("plan-local-mysql", "small", "A database on the shared server", "11.4", properties);
    }

    private static InstanceRequest withPlan(InstanceRequest request, Plan plan) {
        return new InstanceRequest(
                request.instanceId(), plan, request.parameters(), request.labels(), request.outputs());
    }

    private Credentials bindReadOnly(String instance) {
        return provisioner.bind(new BindRequest(request(instance), newId(), Map.of("read_only", true)));
    }

    private static void createNotes(Connection c, String firstNote) throws SQLException {
        execute(c, "CREATE TABLE notes (body text)");
        execute(c, "INSERT INTO notes VALUES (?)", firstNote);
    }

    /** Each statement is refused for lack of privilege, not for any other reason. */
    private static void assertEachDenied(Connection c, List<String> statements) {
        for (String sql : statements) {
            assertThatThrownBy(() -> execute(c, sql), sql)
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(ACCESS_DENIED)
                                    .as("error %s: %s", e.getErrorCode(), e.getMessage())
                                    .contains(e.getErrorCode()));
        }
    }

    private static void assertEachAllowed(Connection c, List<String> statements) {
        for (String sql : statements) {
            assertThatCode(() -> execute(c, sql)).as(sql).doesNotThrowAnyException();
        }
    }

    private static void assertRefused(ThrowingCallable connecting, int errorCode) {
        assertThatThrownBy(connecting)
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(e.getErrorCode())
                                .as("error of %s", e.getMessage())
                                .isEqualTo(errorCode));
    }

    private static void assertLoginRefused(Credentials credentials) {
        assertThatThrownBy(() -> connect(credentials).close(), "logging in as %s", text(credentials, "username"))
                .isInstanceOf(SQLException.class);
    }

    /** A plain JDBC connection with the binding's user and password to its database. */
    private static Connection connect(Credentials credentials) throws SQLException {
        return DriverManager.getConnection(
                mariadb.jdbcUrl(text(credentials, "name")),
                text(credentials, "username"),
                text(credentials, "password"));
    }

    private static String text(Credentials credentials, String key) {
        return (String) credentials.values().get(key);
    }

    private static <T> T asAdmin(TestJdbc.SqlWork<T> work) {
        return TestJdbc.onConnection(mariadb::connectAsAdmin, work);
    }

    private static Void execute(Connection c, String sql, String... arguments) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            statement.execute();
        }
        return null;
    }
}
