package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.paasbroker.aws.testbed.IamPolicyCoverage;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * The provisioner contract and RDS's rules for MySQL and MariaDB plans, through the unmodified SDK against the fake RDS
 * of the test bed, with a real MariaDB behind each instance whose master user, as on RDS, has neither SUPER nor
 * CONNECTION ADMIN; every request the suite sends must pass the conformance gate.
 */
class RdsMysqlProvisionerIT extends RdsContract {

    private static final RdsTestBed BED = new RdsTestBed();
    private static final Plan SMALL = RdsTestBed.mysqlPlan("small", Map.of());

    @AfterAll
    static void everyActionUsedIsInTheShippedIamPolicyAndTheTestBedStops() {
        try {
            assertThat(IamPolicyCoverage.ofProjectPolicy().notAllowed(BED.brokerPermissionsUsed()))
                    .as("actions docs/aws-iam-policy.json does not allow")
                    .isEmpty();
        } finally {
            BED.close();
        }
    }

    @AfterEach
    void everyRequestPassedTheGate() {
        assertThat(BED.takeViolations()).as("requests AWS's model refuses").isEmpty();
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return BED.mysql;
    }

    @Override
    protected Plan plan() {
        return SMALL;
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    /** The RDS instance, and the users of bindings inside it. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        Optional<DBInstance> instance = BED.describe(BED.mysql, instanceId);
        if (instance.isEmpty()) {
            return BED.secrets.keySet().stream()
                    .filter(ref -> ref.endsWith(instanceId))
                    .toList();
        }
        List<String> resources = new ArrayList<>(List.of("rds:" + instance.get().dbInstanceIdentifier()));
        try (Connection master = asMaster(instanceId, instance.get());
                Statement s = master.createStatement();
                ResultSet users = s.executeQuery("SELECT User FROM mysql.user WHERE User LIKE 'pb\\_%' ORDER BY 1")) {
            while (users.next()) {
                resources.add("user:" + users.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return resources;
    }

    @Test
    void theInstanceRunsTheEngineOfThePlanInTheBrokersParameterGroupWhichRequiresTls() {
        String mysql = provision();
        String mariadb =
                provision(RdsTestBed.mysqlPlan("maria", Map.of("engine", "mariadb", "engine_version", "11.4")));

        DBInstance mysqlInstance = BED.describe(BED.mysql, mysql).orElseThrow();
        DBInstance mariadbInstance = BED.describe(BED.mysql, mariadb).orElseThrow();
        assertThat(mysqlInstance.engine()).isEqualTo("mysql");
        assertThat(mariadbInstance.engine()).isEqualTo("mariadb");
        String group = mysqlInstance.dbParameterGroups().get(0).dbParameterGroupName();
        assertThat(group).startsWith("pbtest-mysql8-0-");
        assertThat(mariadbInstance.dbParameterGroups().get(0).dbParameterGroupName())
                .startsWith("pbtest-mariadb11-4-");
        assertThat(BED.inspector
                        .describeDBParameters(b -> b.dbParameterGroupName(group))
                        .parameters())
                .extracting(Parameter::parameterName, Parameter::parameterValue)
                .containsExactly(tuple("require_secure_transport", "1"));
        assertThat(writeThenRead(bind(mariadb, newId()), "on mariadb")).isEqualTo("on mariadb");
    }

    @Test
    void bindingsSpeakVerifiedTlsAndAPlaintextLoginIsRefused() {
        Credentials credentials = bind(provision(), newId());

        assertThat(text(credentials, "jdbcUrl")).contains("sslMode=VERIFY_IDENTITY");
        String plaintext = "jdbc:mariadb://" + text(credentials, "hostname") + ":"
                + credentials.values().get("port") + "/" + text(credentials, "name");
        assertThatThrownBy(() -> DriverManager.getConnection(
                                plaintext, text(credentials, "username"), text(credentials, "password"))
                        .close())
                .hasMessageContaining("insecure transport");
    }

    @Test
    void aReadOnlyBindingReadsAndCannotWrite() {
        String instance = provision();
        writeThenRead(bind(instance, newId()), "written-by-a-writer");
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));

        assertThat(read(reader)).isEqualTo("written-by-a-writer");
        assertThatThrownBy(() -> writeThenRead(reader, "written-by-a-reader")).hasMessageContaining("denied");
    }

    /** The master may not end another user's session itself (no CONNECTION ADMIN): RDS's mysql.rds_kill does. */
    @Test
    void unbindEndsTheBindingsOpenSessions() throws Exception {
        String instance = provision();
        String binding = newId();
        Credentials credentials = bind(instance, binding);

        try (Connection open = DriverManager.getConnection(text(credentials, "jdbcUrl"))) {
            unbind(instance, binding);

            assertThat(open.isValid(2)).as("the unbound binding's open session").isFalse();
        }
    }

    /**
     * RDS replays a MySQL instance's binary log into a new instance, up to the time asked; the new instance then gets its
     * own master password, and its copy of the tenancy becomes its own, as after a snapshot's restore.
     */
    @Test
    void aPointInTimeRestoreMakesANewInstanceWithTheDataAsItWasThenReplayedFromTheBinaryLog() throws Exception {
        restoredToAMoment((source, copy, moment) ->
                assertThat(BED.masterPassword(copy.instanceId())).isNotEqualTo(BED.masterPassword(source)));
    }

    /** As for PostgreSQL: a master password RDS manages is read from Secrets Manager anew, so rotations break nothing. */
    @Test
    void aMasterPasswordRdsManagesIsReadFromSecretsManagerAfterEachRotation() {
        String instance = provision(RdsTestBed.mysqlPlan("managed", Map.of("manage_master_user_password", true)));
        writeThenRead(bind(instance, newId()), "before the rotation");
        assertThat(BED.secrets.keySet()).as("the credential store").noneMatch(ref -> ref.endsWith(instance));

        BED.rds.rotateManagedMasterPassword(BED.mysql.identifier(instance));

        assertThat(read(bind(instance, newId()))).isEqualTo("before the rotation");
    }

    @Test
    void planChangesRdsWouldRefuseOrThatLoseDataAreRefusedBeforeAnythingIsAsked() {
        assertThatThrownBy(() -> BED.mysql.checkPlanChange(
                        SMALL, RdsTestBed.mysqlPlan("eight-four", Map.of("engine_version", "8.4"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("does not upgrade MySQL 8.0 to 8.4");
        assertThatThrownBy(() -> BED.mysql.checkPlanChange(
                        SMALL, RdsTestBed.mysqlPlan("maria", Map.of("engine", "mariadb", "engine_version", "11.4"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("cannot turn MySQL into MariaDB");
    }

    @Test
    void plansAndParametersOfAnotherEngineAreRefusedFirst() {
        assertThatThrownBy(() -> BED.mysql.checkPlan(
                        RdsTestBed.mysqlPlan("pg", Map.of("allowed_extensions", List.of("pgcrypto")))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("PostgreSQL's");
        assertThatThrownBy(() -> BED.mysql.checkPlan(RdsTestBed.mysqlPlan("eight", Map.of("engine_version", "8"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("such as 8.0");
        assertThatThrownBy(() -> BED.mysql.checkPlan(RdsTestBed.mysqlPlan("aurora", Map.of("engine", "aurora"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("engine must be mysql or mariadb");
        assertThatThrownBy(() -> BED.mysql.checkParameters(SMALL, Map.of("extensions", List.of("pgcrypto"))))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("has no extensions");
    }

    @Test
    void aSnapshotRestoresIntoANewInstanceWithItsDataItsOwnMasterPasswordAndNoneOfTheOldUsers() {
        String source = provision();
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "in the snapshot");
        InstanceSnapshots snapshots = BED.mysql.snapshots().orElseThrow();
        String snapshot = "pb-" + ResourceNames.hash(newId(), 24);

        assertThat(snapshots.format()).isEqualTo("rds-mysql-snapshot/1");
        RdsTestBed.completed(
                snapshots.startSnapshot(request(source), snapshot),
                ref -> snapshots.pollSnapshot(request(source), ref));
        writeThenRead(sourceBinding, "after the snapshot");
        InstanceRequest copy = new InstanceRequest(newId(), SMALL, Map.of(), Map.of("space_guid", "s"), Map.of());
        StepOutcome.Completed restored =
                RdsTestBed.completed(snapshots.restoreSnapshot(copy, snapshot), ref -> BED.mysql.poll(copy, ref));
        InstanceRequest made =
                new InstanceRequest(copy.instanceId(), SMALL, Map.of(), copy.labels(), restored.outputs());
        try {
            Credentials copyBinding = BED.mysql.bind(new BindRequest(made, newId(), Map.of()));

            assertThat(read(copyBinding)).isEqualTo("in the snapshot");
            assertThat(restored.outputs()).containsEntry("database", text(sourceBinding, "name"));
            assertThat(BED.masterPassword(copy.instanceId())).isNotEqualTo(BED.masterPassword(source));
            String sourceOnCopy = text(copyBinding, "jdbcUrl")
                    .replace(text(copyBinding, "username"), text(sourceBinding, "username"))
                    .replace(text(copyBinding, "password"), text(sourceBinding, "password"));
            assertThatThrownBy(() -> DriverManager.getConnection(sourceOnCopy).close())
                    .as("the source's binding on the copy")
                    .hasMessageContaining("Access denied");
        } finally {
            RdsTestBed.completed(BED.mysql.deprovision(made), ref -> BED.mysql.poll(made, ref));
        }
        snapshots.deleteSnapshot(snapshot);
    }

    private static Connection asMaster(String instanceId, DBInstance instance) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mariadb://" + instance.endpoint().address() + ":"
                        + instance.endpoint().port() + "/?sslMode=verify-full&serverSslCert="
                        + BED.certificates.caFile(),
                RdsNames.MASTER_USERNAME,
                BED.masterPassword(instanceId));
    }
}
