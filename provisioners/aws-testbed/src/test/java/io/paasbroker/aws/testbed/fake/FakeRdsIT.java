package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.testbed.TestBedCertificates;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.internal.waiters.ResponseOrException;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.Endpoint;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The fake through the unmodified SDK client and the SDK's own waiters, which follow RDS's published ones. */
class FakeRdsIT {

    /** Long enough that the first look after a create sees it creating, however busy the machine. */
    private static final Duration CREATING = Duration.ofMillis(1500);

    private static final Duration STEP = Duration.ofMillis(300);

    private TestBedCertificates certificates;
    private FakeRds fake;
    private FakeSecretsManager secretsManager;
    private RdsClient rds;
    private SecretsManagerClient secrets;
    private RdsWaiter waiter;

    @TempDir
    Path work;

    @BeforeEach
    void start() {
        certificates = TestBedCertificates.in(work.resolve("tls"));
        AccessKeys keys = AccessKeys.withFirstKey();
        secretsManager = new FakeSecretsManager("eu-west-2", keys, Clock.systemUTC());
        fake = new FakeRds(
                "eu-west-2",
                work,
                certificates,
                keys,
                secretsManager,
                new StatusTimings(CREATING, STEP, STEP, STEP),
                Clock.systemUTC());
        rds = fake.client(keys.first());
        secrets = secretsManager.client(keys.first());
        waiter = RdsWaiter.builder()
                .client(rds)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50)))
                        .maxAttempts(100)
                        .build())
                .build();
    }

    @AfterEach
    void stop() {
        assertThat(fake.takeViolations()).as("requests the model refuses").isEmpty();
        assertThat(secretsManager.takeViolations())
                .as("requests the model refuses")
                .isEmpty();
        waiter.close();
        rds.close();
        secrets.close();
        fake.close();
        secretsManager.close();
    }

    @Test
    void anInstanceBecomesAvailableAsThePublishedWaiterExpectsAndKeepsItsTags() {
        rds.createDBInstance(postgres("pb-0123456789abcdef"));
        assertThat(status("pb-0123456789abcdef")).isEqualTo("creating");

        ResponseOrException<DescribeDbInstancesResponse> available = waiter.waitUntilDBInstanceAvailable(
                        DescribeDbInstancesRequest.builder()
                                .dbInstanceIdentifier("pb-0123456789abcdef")
                                .build())
                .matched();

        assertThat(available.response()).isPresent();
        String arn = available.response().get().dbInstances().get(0).dbInstanceArn();
        rds.addTagsToResource(b -> b.resourceName(arn)
                .tags(Tag.builder().key("paasbroker:plan").value("small").build()));
        assertThat(rds.listTagsForResource(b -> b.resourceName(arn)).tagList())
                .extracting(Tag::key)
                .containsExactly("paasbroker:instance", "paasbroker:plan");
    }

    @Test
    void aDeletedInstanceGoesAsThePublishedWaiterExpects() {
        rds.createDBInstance(postgres("pb-1"));
        waiter.waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier("pb-1"));

        assertThatThrownBy(() -> rds.deleteDBInstance(b -> b.dbInstanceIdentifier("pb-1")))
                .isInstanceOf(RdsException.class)
                .satisfies(e -> assertThat(((RdsException) e).awsErrorDetails().errorCode())
                        .isEqualTo("InvalidParameterCombination"));
        assertThat(rds.deleteDBInstance(b -> b.dbInstanceIdentifier("pb-1").skipFinalSnapshot(true))
                        .dbInstance()
                        .dbInstanceStatus())
                .isEqualTo("deleting");

        waiter.waitUntilDBInstanceDeleted(b -> b.dbInstanceIdentifier("pb-1"));
        assertThatThrownBy(() -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("pb-1")))
                .isInstanceOf(DbInstanceNotFoundException.class);
    }

    /**
     * As on RDS: the master user logs in with its password and may make roles and databases, but is no superuser; the
     * server takes only TLS (rds.force_ssl), with a certificate the test bed's CA vouches for.
     */
    @Test
    void anAvailableInstanceIsARealPostgresqlWhoseMasterIsNoSuperuser() throws Exception {
        rds.createDBInstance(postgres("pb-4").toBuilder().dbName("app").build());
        Endpoint endpoint = available("pb-4").endpoint();
        String url = url(endpoint, "app");

        try (Connection master = DriverManager.getConnection(url, "pbadmin", "not-a-real-one");
                Statement s = master.createStatement()) {
            ResultSet rights = s.executeQuery(
                    "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user");
            assertThat(rights.next()).isTrue();
            assertThat(rights.getBoolean("rolsuper")).isFalse();
            s.execute("CREATE ROLE pb_binding LOGIN PASSWORD 'x'");
            s.execute("CREATE DATABASE pb_tenant");
            assertThatThrownBy(() -> s.execute("ALTER ROLE pbadmin SUPERUSER")).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() ->
                        DriverManager.getConnection(url, "pbadmin", "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        String plaintext = "jdbc:postgresql://127.0.0.1:" + endpoint.port() + "/app?sslmode=disable";
        assertThatThrownBy(() -> DriverManager.getConnection(plaintext, "pbadmin", "not-a-real-one")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");

        rds.deleteDBInstance(b -> b.dbInstanceIdentifier("pb-4").skipFinalSnapshot(true));
        waiter.waitUntilDBInstanceDeleted(b -> b.dbInstanceIdentifier("pb-4"));
        assertThatThrownBy(() -> DriverManager.getConnection(url, "pbadmin", "not-a-real-one")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Connection to 127.0.0.1:" + endpoint.port() + " refused");
    }

    @Test
    void aModificationMovesThroughModifyingAndANewMasterPasswordReplacesTheOld() throws Exception {
        rds.createDBInstance(postgres("pb-5"));
        Endpoint endpoint = available("pb-5").endpoint();

        assertThatThrownBy(() -> rds.modifyDBInstance(
                        b -> b.dbInstanceIdentifier("pb-5").allocatedStorage(10).applyImmediately(true)))
                .isInstanceOf(RdsException.class)
                .hasMessageContaining("cannot be reduced");
        assertThat(rds.modifyDBInstance(b -> b.dbInstanceIdentifier("pb-5")
                                .dbInstanceClass("db.t3.small")
                                .allocatedStorage(40)
                                .applyImmediately(true))
                        .dbInstance()
                        .dbInstanceStatus())
                .isEqualTo("modifying");
        DBInstance modified = available("pb-5");
        assertThat(modified.dbInstanceClass()).isEqualTo("db.t3.small");
        assertThat(modified.allocatedStorage()).isEqualTo(40);

        assertThat(rds.modifyDBInstance(b -> b.dbInstanceIdentifier("pb-5").masterUserPassword("a-new-one"))
                        .dbInstance()
                        .dbInstanceStatus())
                .isEqualTo("resetting-master-credentials");
        String url = url(endpoint, "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "pbadmin", "not-a-real-one")
                        .close())
                .isInstanceOf(SQLException.class);
        DriverManager.getConnection(url, "pbadmin", "a-new-one").close();
    }

    /**
     * As on RDS with {@code ManageMasterUserPassword}: RDS makes the password and keeps it in a Secrets Manager secret
     * the instance names; it logs in to the real server, a rotation changes both, and stopping the management needs a
     * password of the caller's and deletes the secret, as deleting the instance does.
     */
    @Test
    void aManagedMasterPasswordLivesInSecretsManagerAndMovesWithRotations() throws Exception {
        assertThatThrownBy(() -> rds.createDBInstance(postgres("pb-7").toBuilder()
                        .manageMasterUserPassword(true)
                        .build()))
                .isInstanceOf(RdsException.class)
                .hasMessageContaining("not both");
        rds.createDBInstance(postgres("pb-7").toBuilder()
                .masterUserPassword(null)
                .manageMasterUserPassword(true)
                .build());
        DBInstance instance = available("pb-7");
        String secret = instance.masterUserSecret().secretArn();
        assertThat(secret).startsWith("arn:aws:secretsmanager:eu-west-2:" + FakeRds.ACCOUNT + ":secret:rds!db-");
        assertThat(instance.masterUserSecret().secretStatus()).isEqualTo("active");
        String url = url(instance.endpoint(), "postgres");
        String first = masterPassword(secret);
        DriverManager.getConnection(url, "pbadmin", first).close();

        fake.rotateManagedMasterPassword("pb-7");
        String second = masterPassword(secret);
        assertThat(second).isNotEqualTo(first);
        DriverManager.getConnection(url, "pbadmin", second).close();
        assertThatThrownBy(
                        () -> DriverManager.getConnection(url, "pbadmin", first).close())
                .isInstanceOf(SQLException.class);
        assertThat(secrets.getSecretValue(b -> b.secretId(secret).versionStage("AWSPREVIOUS"))
                        .secretString())
                .contains(first);

        assertThatThrownBy(() ->
                        rds.modifyDBInstance(b -> b.dbInstanceIdentifier("pb-7").masterUserPassword("mine-now")))
                .isInstanceOf(RdsException.class)
                .hasMessageContaining("unless ManageMasterUserPassword is false");
        rds.modifyDBInstance(b -> b.dbInstanceIdentifier("pb-7")
                .manageMasterUserPassword(false)
                .masterUserPassword("mine-now")
                .applyImmediately(true));
        assertThat(secretsManager.secretArns()).doesNotContain(secret);
        assertThat(available("pb-7").masterUserSecret()).isNull();
        DriverManager.getConnection(url, "pbadmin", "mine-now").close();

        rds.modifyDBInstance(b ->
                b.dbInstanceIdentifier("pb-7").manageMasterUserPassword(true).applyImmediately(true));
        String again = available("pb-7").masterUserSecret().secretArn();
        DriverManager.getConnection(url, "pbadmin", masterPassword(again)).close();
        rds.deleteDBInstance(b -> b.dbInstanceIdentifier("pb-7").skipFinalSnapshot(true));
        waiter.waitUntilDBInstanceDeleted(b -> b.dbInstanceIdentifier("pb-7"));
        assertThat(secretsManager.secretArns()).isEmpty();
        assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId(again)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    private String masterPassword(String secretArn) throws Exception {
        return new ObjectMapper()
                .readTree(secrets.getSecretValue(b -> b.secretId(secretArn)).secretString())
                .path("password")
                .asText();
    }

    /** As on RDS: the instance's parameter group says whether logins need TLS, and a change takes effect at once. */
    @Test
    void theParameterGroupsForceSslDecidesWhetherPlaintextLoginsAreRefused() throws Exception {
        assertThatThrownBy(() -> rds.createDBInstance(postgres("pb-6").toBuilder()
                        .dbParameterGroupName("pb-none")
                        .build()))
                .isInstanceOf(DbParameterGroupNotFoundException.class);
        rds.createDBParameterGroup(b -> b.dbParameterGroupName("pb-plain")
                .dbParameterGroupFamily("postgres15")
                .description("TLS optional"));
        rds.modifyDBParameterGroup(b -> b.dbParameterGroupName("pb-plain")
                .parameters(Parameter.builder()
                        .parameterName("rds.force_ssl")
                        .parameterValue("0")
                        .applyMethod(ApplyMethod.IMMEDIATE)
                        .build()));
        rds.createDBInstance(
                postgres("pb-6").toBuilder().dbParameterGroupName("pb-plain").build());
        Endpoint endpoint = available("pb-6").endpoint();
        String plaintext = "jdbc:postgresql://127.0.0.1:" + endpoint.port() + "/postgres?sslmode=disable";

        DriverManager.getConnection(plaintext, "pbadmin", "not-a-real-one").close();
        rds.modifyDBParameterGroup(b -> b.dbParameterGroupName("pb-plain")
                .parameters(Parameter.builder()
                        .parameterName("rds.force_ssl")
                        .parameterValue("1")
                        .applyMethod(ApplyMethod.IMMEDIATE)
                        .build()));
        assertThatThrownBy(() -> DriverManager.getConnection(plaintext, "pbadmin", "not-a-real-one")
                        .close())
                .hasMessageContaining("no encryption");
        assertThat(rds.describeDBParameters(b -> b.dbParameterGroupName("pb-plain"))
                        .parameters())
                .extracting(Parameter::parameterName, Parameter::parameterValue)
                .containsExactly(tuple("rds.force_ssl", "1"));
    }

    /**
     * As on RDS for MySQL: a real server (MariaDB) whose master may make databases and users but has no SUPER nor
     * CONNECTION ADMIN, and ends others' sessions through {@code mysql.rds_kill}; {@code require_secure_transport}
     * decides whether plaintext logins are refused; a group of another engine's family is refused; a snapshot
     * restores the data and accounts into a new instance.
     */
    @Test
    void aMysqlInstanceIsARealServerWhoseMasterIsNoSuperuserAndItsSnapshotRestoresItsDataAndAccounts()
            throws Exception {
        rds.createDBParameterGroup(b -> b.dbParameterGroupName("pb-mysql-tls")
                .dbParameterGroupFamily("mysql8.0")
                .description("TLS required"));
        assertThatThrownBy(() -> rds.createDBInstance(postgres("pb-7").toBuilder()
                        .dbParameterGroupName("pb-mysql-tls")
                        .build()))
                .isInstanceOf(RdsException.class)
                .hasMessageContaining("DBParameterGroupFamily mysql8.0 cannot be used");
        rds.createDBInstance(
                mysql("pb-7").toBuilder().dbParameterGroupName("pb-mysql-tls").build());
        Endpoint endpoint = available("pb-7").endpoint();
        String plaintext = "jdbc:mariadb://127.0.0.1:" + endpoint.port() + "/";
        String tls = plaintext + "?sslMode=verify-full&serverSslCert=" + certificates.caFile();

        try (Connection master = DriverManager.getConnection(plaintext, "pbadmin", "not-a-real-one");
                Connection tenant = loginAs(master, tls);
                Statement s = master.createStatement()) {
            assertThatThrownBy(() -> s.execute("SET GLOBAL max_connections = 10"))
                    .hasMessageContaining("Access denied");
            long session = tenant.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
            assertThatThrownBy(() -> s.execute("KILL CONNECTION " + session))
                    .hasMessageContaining("not owner of thread");
            s.execute("CALL mysql.rds_kill(" + session + ")");
            assertThat(tenant.isValid(2)).isFalse();
        }
        rds.modifyDBParameterGroup(b -> b.dbParameterGroupName("pb-mysql-tls")
                .parameters(Parameter.builder()
                        .parameterName("require_secure_transport")
                        .parameterValue("1")
                        .applyMethod(ApplyMethod.IMMEDIATE)
                        .build()));
        assertThatThrownBy(() -> DriverManager.getConnection(plaintext, "pbadmin", "not-a-real-one")
                        .close())
                .hasMessageContaining("insecure transport");

        rds.createDBSnapshot(b -> b.dbSnapshotIdentifier("pb-7-copy").dbInstanceIdentifier("pb-7"));
        waiter.waitUntilDBSnapshotAvailable(b -> b.dbSnapshotIdentifier("pb-7-copy"));
        rds.restoreDBInstanceFromDBSnapshot(b ->
                b.dbInstanceIdentifier("pb-8").dbSnapshotIdentifier("pb-7-copy").dbParameterGroupName("pb-mysql-tls"));
        Endpoint copy = available("pb-8").endpoint();
        String copied = "jdbc:mariadb://127.0.0.1:" + copy.port() + "/pb_tenant?sslMode=verify-full&serverSslCert="
                + certificates.caFile();
        try (Connection tenant = DriverManager.getConnection(copied, "pb_tenant_user", "tenant-password");
                Statement s = tenant.createStatement();
                ResultSet row = s.executeQuery("SELECT value FROM marker")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("kept");
        }
    }

    /** Makes a database with a marker and its user through {@code master}; answers that user's session. */
    private static Connection loginAs(Connection master, String url) throws SQLException {
        try (Statement s = master.createStatement()) {
            s.execute("CREATE DATABASE pb_tenant");
            s.execute("CREATE TABLE pb_tenant.marker (value text)");
            s.execute("INSERT INTO pb_tenant.marker VALUES ('kept')");
            s.execute("CREATE USER pb_tenant_user IDENTIFIED BY 'tenant-password'");
            s.execute("GRANT SELECT ON pb_tenant.* TO pb_tenant_user");
        }
        return DriverManager.getConnection(url, "pb_tenant_user", "tenant-password");
    }

    /** Each refusal is an exception the SDK's client declares for the operation: one the model lists for it. */
    @Test
    void refusalsAreTheModelsErrorsOfTheOperation() throws Exception {
        rds.createDBInstance(postgres("pb-2"));

        assertThatThrownBy(() -> rds.createDBInstance(postgres("pb-2")))
                .isInstanceOf(DbInstanceAlreadyExistsException.class);
        assertThatThrownBy(() -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("pb-none")))
                .isInstanceOf(DbInstanceNotFoundException.class);
        assertThat(declared("createDBInstance", CreateDbInstanceRequest.class))
                .contains(DbInstanceAlreadyExistsException.class);
        assertThat(declared("describeDBInstances", DescribeDbInstancesRequest.class))
                .contains(DbInstanceNotFoundException.class);
    }

    @Test
    void aRequestTheModelRefusesFailsAndIsKept() {
        assertThatThrownBy(() ->
                        rds.createDBInstance(b -> b.dbInstanceIdentifier("pb-3").dbInstanceClass("db.t3.micro")))
                .isInstanceOf(RdsException.class)
                .hasMessageContaining("CreateDBInstance: Engine is required");

        assertThat(fake.takeViolations()).containsExactly("CreateDBInstance: Engine is required");
    }

    @Test
    void anUnsignedRequestIsRefused() throws Exception {
        HttpURLConnection connection =
                (HttpURLConnection) fake.endpoint().toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection
                .getOutputStream()
                .write("Action=DescribeDBInstances&Version=2014-10-31".getBytes(StandardCharsets.UTF_8));

        assertThat(connection.getResponseCode()).isEqualTo(403);
        assertThat(new String(connection.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("<Code>MissingAuthenticationToken</Code>");
    }

    private static CreateDbInstanceRequest postgres(String id) {
        return CreateDbInstanceRequest.builder()
                .dbInstanceIdentifier(id)
                .dbInstanceClass("db.t3.micro")
                .engine("postgres")
                .engineVersion("15.8")
                .allocatedStorage(20)
                .masterUsername("pbadmin")
                .masterUserPassword("not-a-real-one")
                .tags(Tag.builder().key("paasbroker:instance").value(id).build())
                .build();
    }

    private static CreateDbInstanceRequest mysql(String id) {
        return postgres(id).toBuilder().engine("mysql").engineVersion("8.0.39").build();
    }

    /** The instance as the SDK's waiter for {@code available} last saw it. */
    private DBInstance available(String id) {
        return waiter.waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier(id))
                .matched()
                .response()
                .orElseThrow()
                .dbInstances()
                .get(0);
    }

    private String url(Endpoint endpoint, String database) {
        return "jdbc:postgresql://" + endpoint.address() + ":" + endpoint.port() + "/" + database
                + "?sslmode=verify-full&sslrootcert=" + certificates.caFile();
    }

    private String status(String id) {
        return rds.describeDBInstances(b -> b.dbInstanceIdentifier(id))
                .dbInstances()
                .get(0)
                .dbInstanceStatus();
    }

    private static List<Class<?>> declared(String method, Class<?> request) throws NoSuchMethodException {
        return Arrays.asList(RdsClient.class.getMethod(method, request).getExceptionTypes());
    }
}
