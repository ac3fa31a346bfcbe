package io.paasbroker.provisioner.local.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.broker.support.StateStoreTables;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Passwords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker with an operator's PostgreSQL server 'ops' (a real server started by the test, checking passwords) and
 * a plan on it: an operator rotates its admin password over HTTP while platforms keep provisioning and binding.
 */
@SpringBootTest(
        classes = io.paasbroker.broker.PaasbrokerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class AdminPasswordRotationIT {

    private static final String HOST = "127.0.0.1";
    private static final String ADMIN = "postgres";
    private static final String BOOTSTRAP_PASSWORD = Passwords.generate();
    private static final String PLATFORM = "platform";
    private static final String PLATFORM_PASSWORD = "platform-password-for-rotation";
    private static final String OPERATOR = "operator";
    private static final String OPERATOR_PASSWORD = "operator-password-for-rotation";
    private static final String SERVICE = "ops-pg-service";
    private static final String PLAN = "ops-pg-small";
    private static final String ROTATE = "/admin/servers/postgresql/ops/admin-password/rotate";
    private static final String PASSWORD_REFUSED = "28P01";

    private static final EmbeddedPostgres OPS = startServerThatChecksPasswords();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "paasbroker.data-directory",
                () -> Path.of("target", "admin-rotation-it-" + UUID.randomUUID())
                        .toString());
        registry.add("paasbroker.catalog", () -> "classpath:admin-rotation-catalog.yml");
        registry.add("paasbroker.embedded.mysql", () -> "false");
        registry.add("paasbroker.embedded.redis", () -> "false");
        registry.add("paasbroker.embedded.opensearch", () -> "false");
        registry.add("paasbroker.local.postgres[0].name", () -> "ops");
        registry.add("paasbroker.local.postgres[0].host", () -> HOST);
        registry.add("paasbroker.local.postgres[0].port", OPS::getPort);
        registry.add("paasbroker.local.postgres[0].admin-username", () -> ADMIN);
        registry.add("paasbroker.local.postgres[0].admin-password", () -> BOOTSTRAP_PASSWORD);
        registry.add("spring.security.user.name", () -> PLATFORM);
        registry.add("spring.security.user.password", () -> PLATFORM_PASSWORD);
        registry.add("paasbroker.security.operators[0].username", () -> OPERATOR);
        registry.add(
                "paasbroker.security.operators[0].password-hash",
                () -> new BCryptPasswordEncoder(4).encode(OPERATOR_PASSWORD));
    }

    @AfterAll
    static void stopOps() throws IOException {
        OPS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ServerAdminPasswords passwords;

    @Autowired
    LocalProperties local;

    @Autowired
    AdminPasswordRotator rotator;

    @Autowired
    DataSource dataSource;

    @Test
    void rotationNeedsOperatorCredentialsAndOperatorsCannotUseTheOsbApi() {
        assertThat(client(null, null).send("POST", ROTATE, null).status()).isEqualTo(401);
        assertThat(platform().send("POST", ROTATE, null).status()).isEqualTo(403);
        assertThat(client(OPERATOR, "not-the-password")
                        .send("POST", ROTATE, null)
                        .status())
                .isEqualTo(401);
        assertThat(operator().get("/v2/catalog").status()).isEqualTo(403);
        assertThat(platform().get("/v2/catalog").status()).isEqualTo(200);
    }

    @Test
    void rotationChangesTheServersAdminPasswordWhileProvisionAndBindKeepWorking(CapturedOutput output)
            throws SQLException {
        String before = provisionAndBind();
        String previous = storedPassword();
        CompletableFuture<Void> platformsMeanwhile = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 3; i++) {
                provisionAndBind();
            }
        });

        OsbClient.Response rotated = operator().send("POST", ROTATE, null);

        platformsMeanwhile.join();
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.text("server")).isEqualTo("ops");
        assertThat(rotated.text("rotated_at")).isNotBlank();
        String current = storedPassword();
        assertThat(current).isNotEqualTo(previous).isNotEqualTo(BOOTSTRAP_PASSWORD);
        assertThat(passwords.entry(ServiceKind.POSTGRESQL, "ops").orElseThrow().pending())
                .isNull();
        assertLoginRefused(previous);
        assertLoginRefused(BOOTSTRAP_PASSWORD);
        adminLogin(current).close();
        assertThat(platform().put(bindingPath(before, newId()), bind()).status())
                .isEqualTo(201);
        provisionAndBind();
        assertThat(StateStoreTables.holding(jdbc, current)).isEmpty();
        assertThat(output.getAll())
                .contains("Rotated the admin password of the postgresql server 'ops'")
                .doesNotContain(current)
                .doesNotContain(previous)
                .doesNotContain(BOOTSTRAP_PASSWORD);
    }

    @Test
    void unknownAndEmbeddedServersAreNotFound() {
        OsbClient.Response unknown =
                operator().send("POST", "/admin/servers/postgresql/elsewhere/admin-password/rotate", null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("description")).contains("elsewhere");
        for (String path : List.of(
                "/admin/servers/postgresql/embedded/admin-password/rotate",
                "/admin/servers/mongodb/ops/admin-password/rotate")) {
            assertThat(operator().send("POST", path, null).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void restartLikeResolutionPicksTheStoredPasswordOverTheConfiguredOne() throws Exception {
        assertThat(operator().send("POST", ROTATE, null).status()).isEqualTo(200);
        assertThat(local.postgres().get(0).adminPassword()).isEqualTo(BOOTSTRAP_PASSWORD);

        try (LocalProvisioners restarted = new LocalProvisioners(local, List.of(), passwords)) {
            assertThat(restarted.provisioners().get(0).health().resourcesUp()).containsKey("ops");
        }
    }

    @Test
    void pendingLeftByACrashBeforeTheServerChangedIsSettledAtStartUp() throws Exception {
        String current = storedPassword();
        passwords.write(ServiceKind.POSTGRESQL, "ops", new ServerAdminPasswords.Entry(current, Passwords.generate()));

        try (LocalProvisioners restarted = new LocalProvisioners(local, List.of(), passwords)) {
            new AdminPasswordRotator(restarted, passwords, Clock.systemUTC(), new AdvisoryLock(dataSource)).settleAll();

            assertThat(passwords.entry(ServiceKind.POSTGRESQL, "ops"))
                    .contains(new ServerAdminPasswords.Entry(current, null));
            assertThat(restarted.provisioners().get(0).health().resourcesUp()).containsKey("ops");
        }
    }

    @Test
    void pendingLeftByACrashAfterTheServerChangedIsSettledBeforeTheNextRotation() throws SQLException {
        String current = storedPassword();
        String pending = Passwords.generate();
        passwords.write(ServiceKind.POSTGRESQL, "ops", new ServerAdminPasswords.Entry(current, pending));
        try (Connection admin = adminLogin(current)) {
            admin.unwrap(PGConnection.class).alterUserPassword(ADMIN, pending.toCharArray(), "scram-sha-256");
        }

        assertThat(operator().send("POST", ROTATE, null).status()).isEqualTo(200);

        String rotated = storedPassword();
        assertThat(rotated).isNotEqualTo(pending).isNotEqualTo(current);
        assertLoginRefused(pending);
        adminLogin(rotated).close();
        provisionAndBind();
    }

    @Test
    void aReplicaStartingWhileAnotherRotatesTakesUpThePasswordTheRotationStored() throws Exception {
        try (LocalProvisioners starting = new LocalProvisioners(local, List.of(), passwords)) {
            // the other replica's rotation ends after this one set up its connections with the password then stored
            String rotatedElsewhere = Passwords.generate();
            try (Connection admin = adminLogin(storedPassword())) {
                admin.unwrap(PGConnection.class)
                        .alterUserPassword(ADMIN, rotatedElsewhere.toCharArray(), "scram-sha-256");
            }
            passwords.write(ServiceKind.POSTGRESQL, "ops", new ServerAdminPasswords.Entry(rotatedElsewhere, null));

            new AdminPasswordRotator(starting, passwords, Clock.systemUTC(), new AdvisoryLock(dataSource)).settleAll();

            assertThat(starting.provisioners().get(0).health().resourcesUp()).containsKey("ops");
        }
    }

    /** The server took the new password, then the rotation failed before storing it: no replica must stay locked out. */
    @Test
    void aRotationThatEndedHalfWayIsSettledByTheFollowerWithoutARestart() throws SQLException {
        String current = storedPassword();
        String pending = Passwords.generate();
        passwords.write(ServiceKind.POSTGRESQL, "ops", new ServerAdminPasswords.Entry(current, pending));
        try (Connection admin = adminLogin(current);
                Statement statement = admin.createStatement()) {
            admin.unwrap(PGConnection.class).alterUserPassword(ADMIN, pending.toCharArray(), "scram-sha-256");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ADMIN
                    + "' AND pid <> pg_backend_pid()");
        }

        rotator.followStoredPasswords();

        assertThat(passwords.entry(ServiceKind.POSTGRESQL, "ops"))
                .contains(new ServerAdminPasswords.Entry(pending, null));
        provisionAndBind();
    }

    @Test
    void aRotationWaitsWhileAnotherReplicaRotatesTheSameServer() throws Exception {
        String before = storedPassword();
        CompletableFuture<Integer> rotation;
        try (AdvisoryLock.Held otherReplica =
                new AdvisoryLock(dataSource).acquire("admin password of postgresql/ops")) {
            rotation = CompletableFuture.supplyAsync(
                    () -> operator().send("POST", ROTATE, null).status());
            Thread.sleep(1000);

            assertThat(rotation)
                    .as("rotation while another replica holds the server")
                    .isNotDone();
            assertThat(storedPassword()).isEqualTo(before);
        }
        assertThat(rotation.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        String rotated = storedPassword();
        assertThat(rotated).isNotEqualTo(before);
        adminLogin(rotated).close();
    }

    @Test
    void aRotationByAnotherReplicaIsTakenUpWithoutARestart() throws SQLException {
        String current = storedPassword();
        String rotatedElsewhere = Passwords.generate();
        try (Connection admin = adminLogin(current);
                Statement statement = admin.createStatement()) {
            admin.unwrap(PGConnection.class).alterUserPassword(ADMIN, rotatedElsewhere.toCharArray(), "scram-sha-256");
            passwords.write(ServiceKind.POSTGRESQL, "ops", new ServerAdminPasswords.Entry(rotatedElsewhere, null));
            // the other replica's rotation leaves this one's pooled connections open; end them, so new ones are needed
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ADMIN
                    + "' AND pid <> pg_backend_pid()");
        }

        rotator.followStoredPasswords();

        provisionAndBind();
        assertLoginRefused(current);
    }

    // --- helpers

    /** Provisions an instance on 'ops' and binds to it; returns the instance id. */
    private String provisionAndBind() {
        String instance = newId();
        Map<String, Object> provision =
                Map.of("service_id", SERVICE, "plan_id", PLAN, "organization_guid", "o", "space_guid", "s");
        assertThat(platform()
                        .put("/v2/service_instances/" + instance, provision)
                        .status())
                .isEqualTo(201);
        assertThat(platform().put(bindingPath(instance, newId()), bind()).status())
                .isEqualTo(201);
        return instance;
    }

    private static Map<String, Object> bind() {
        return Map.of("service_id", SERVICE, "plan_id", PLAN);
    }

    private static String bindingPath(String instance, String binding) {
        return "/v2/service_instances/" + instance + "/service_bindings/" + binding;
    }

    private String storedPassword() {
        return passwords.entry(ServiceKind.POSTGRESQL, "ops").orElseThrow().password();
    }

    private OsbClient client(String username, String password) {
        return new OsbClient("http://127.0.0.1:" + port, username, password);
    }

    private OsbClient platform() {
        return client(PLATFORM, PLATFORM_PASSWORD);
    }

    private OsbClient operator() {
        return client(OPERATOR, OPERATOR_PASSWORD);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static Connection adminLogin(String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(OPS.getPort()), ADMIN, password);
    }

    private static void assertLoginRefused(String password) {
        assertThatThrownBy(() -> adminLogin(password).close())
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(PASSWORD_REFUSED));
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
    }

    /** The embedded server trusts everyone: give the admin the bootstrap password, then make the server check it. */
    private static EmbeddedPostgres startServerThatChecksPasswords() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", HOST)
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", BOOTSTRAP_PASSWORD)
                    .start();
            String url = jdbcUrl(postgres.getPort());
            try (Connection c = DriverManager.getConnection(url, ADMIN, "");
                    Statement statement = c.createStatement()) {
                c.unwrap(PGConnection.class)
                        .alterUserPassword(ADMIN, BOOTSTRAP_PASSWORD.toCharArray(), "scram-sha-256");
                try (var rows = statement.executeQuery("SHOW hba_file")) {
                    rows.next();
                    Files.writeString(Path.of(rows.getString(1)), "host all all " + HOST + "/32 scram-sha-256\n");
                }
                statement.execute("SELECT pg_reload_conf()");
            }
            awaitPasswordsChecked(url);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server applies a new pg_hba.conf shortly after the reload signal. */
    private static void awaitPasswordsChecked(String url) throws SQLException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Connection c = DriverManager.getConnection(url, ADMIN, "not-the-password")) {
                sleep();
            } catch (SQLException e) {
                if (PASSWORD_REFUSED.equals(e.getSQLState())) {
                    return;
                }
                throw e;
            }
        }
        throw new IllegalStateException("the server still accepts any password");
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
