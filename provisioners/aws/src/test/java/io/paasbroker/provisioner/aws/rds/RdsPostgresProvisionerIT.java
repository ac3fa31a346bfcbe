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
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.testbed.TestBedCertificates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The provisioner contract and RDS's own rules, through the unmodified SDK against the fake RDS of the test bed, with a
 * real PostgreSQL behind each instance; every request the suite sends must pass the conformance gate.
 */
class RdsPostgresProvisionerIT extends RdsContract {

    private static final RdsTestBed BED = new RdsTestBed();
    private static final Plan SMALL = RdsTestBed.plan("small", Map.of());
    private static final Plan MANAGED = RdsTestBed.plan("managed", Map.of("manage_master_user_password", true));

    /** The IAM policy the project ships lets the broker do all that this suite had it do. */
    @AfterAll
    static void everyActionUsedIsInTheShippedIamPolicyAndTheTestBedStops() {
        try {
            assertThat(BED.brokerPermissionsUsed()).contains("rds:CreateDBInstance", "rds:AddTagsToResource");
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
        return BED.provisioner;
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

    /** The RDS instance, and the login roles of bindings inside it. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        Optional<DBInstance> instance = describe(instanceId);
        if (instance.isEmpty()) {
            return BED.secrets.keySet().stream()
                    .filter(ref -> ref.endsWith(instanceId))
                    .toList();
        }
        List<String> resources = new ArrayList<>(List.of("rds:" + instance.get().dbInstanceIdentifier()));
        try (Connection master = asMaster(instanceId, instance.get(), "postgres");
                PreparedStatement roles = master.prepareStatement(
                        "SELECT rolname FROM pg_roles WHERE rolname LIKE 'pb\\_%' ORDER BY 1")) {
            ResultSet rows = roles.executeQuery();
            while (rows.next()) {
                resources.add("role:" + rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return resources;
    }

    // --- RDS's own rules

    @Test
    void theInstanceIsTaggedForCostAttributionAndItsMasterPasswordIsInTheCredentialStoreOnly() {
        String instance = provision();

        DBInstance rds = describe(instance).orElseThrow();
        assertThat(rds.tagList())
                .extracting(Tag::key, Tag::value)
                .contains(
                        tuple("paasbroker:broker", "pbtest"),
                        tuple("paasbroker:instance", instance),
                        tuple("paasbroker:plan", "small"),
                        tuple("paasbroker:organization", "org-contract"),
                        tuple("paasbroker:space", "space-contract"));
        assertThat(rds.dbInstanceIdentifier()).startsWith("pbtest-").hasSize("pbtest-".length() + 24);
        assertThat(rds.publiclyAccessible()).isNotEqualTo(Boolean.TRUE);
        assertThat(BED.masterPassword(instance)).hasSize(32);
        assertThat(request(instance).outputs().values()).doesNotContain(BED.masterPassword(instance));
    }

    @Test
    void theInstanceUsesTheBrokersParameterGroupWhichForcesTlsAndPreloadsWhatThePlansExtensionsNeed() {
        String instance = provision(
                RdsTestBed.plan("monitored", Map.of("allowed_extensions", List.of("pg_stat_statements", "pgcrypto"))));

        String group =
                describe(instance).orElseThrow().dbParameterGroups().get(0).dbParameterGroupName();
        assertThat(group).startsWith("pbtest-postgres15-");
        assertThat(rds().describeDBParameters(b -> b.dbParameterGroupName(group))
                        .parameters())
                .extracting(Parameter::parameterName, Parameter::parameterValue)
                .containsExactly(tuple("rds.force_ssl", "1"), tuple("shared_preload_libraries", "pg_stat_statements"));
    }

    @Test
    void aPlanChangeThatNeedsAnotherParameterGroupMovesTheInstanceAndRebootsItToApplyIt() {
        String instance = provision();
        String before =
                describe(instance).orElseThrow().dbParameterGroups().get(0).dbParameterGroupName();

        update(instance, RdsTestBed.plan("monitored", Map.of("allowed_extensions", List.of("pg_stat_statements"))));

        var group = describe(instance).orElseThrow().dbParameterGroups().get(0);
        assertThat(group.dbParameterGroupName())
                .startsWith("pbtest-postgres15-")
                .isNotEqualTo(before);
        assertThat(group.parameterApplyStatus()).isEqualTo("in-sync");
        assertThat(BED.brokerPermissionsUsed()).contains("rds:RebootDBInstance");
    }

    @Test
    void bindingsSpeakVerifiedTlsAndAPlaintextLoginIsRefused(@TempDir Path otherCa) throws Exception {
        Credentials credentials = bind(provision(), newId());
        String jdbcUrl = text(credentials, "jdbcUrl");
        String caInUrl = URLEncoder.encode(BED.certificates.caCertificatePem(), StandardCharsets.UTF_8);

        assertThat(jdbcUrl).contains("sslmode=verify-full").contains(caInUrl);
        DriverManager.getConnection(jdbcUrl).close();
        String trustingAnotherCa = jdbcUrl.replace(
                caInUrl, URLEncoder.encode(TestBedCertificates.in(otherCa).caCertificatePem(), StandardCharsets.UTF_8));
        assertThatThrownBy(() -> DriverManager.getConnection(trustingAnotherCa).close())
                .hasMessageContaining("SSL error");
        String plaintext = "jdbc:postgresql://" + text(credentials, "hostname") + ":"
                + credentials.values().get("port") + "/" + text(credentials, "name") + "?sslmode=disable";
        assertThatThrownBy(() -> DriverManager.getConnection(
                                plaintext, text(credentials, "username"), text(credentials, "password"))
                        .close())
                .hasMessageContaining("no encryption");
    }

    @Test
    void aReadOnlyBindingReadsAndCannotWrite() {
        String instance = provision();
        writeThenRead(bind(instance, newId()), "written-by-a-writer");
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));

        assertThat(read(reader)).isEqualTo("written-by-a-writer");
        assertThatThrownBy(() -> writeThenRead(reader, "written-by-a-reader")).hasMessageContaining("read-only");
    }

    @Test
    void anUpdateToALargerPlanModifiesTheInstanceAndKeepsItsData() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before-growing");

        update(
                instance,
                RdsTestBed.plan(
                        "medium",
                        Map.of(
                                "instance_class",
                                "db.t4g.small",
                                "allocated_storage",
                                40,
                                "backup_retention_days",
                                14)));

        DBInstance grown = describe(instance).orElseThrow();
        assertThat(grown.dbInstanceClass()).isEqualTo("db.t4g.small");
        assertThat(grown.allocatedStorage()).isEqualTo(40);
        assertThat(grown.backupRetentionPeriod()).isEqualTo(14);
        assertThat(grown.tagList())
                .contains(Tag.builder().key("paasbroker:plan").value("medium").build());
        assertThat(read(credentials)).isEqualTo("before-growing");
    }

    @Test
    void planChangesRdsWouldRefuseOrThatLoseDataAreRefusedBeforeAnythingIsAsked() {
        Plan large = RdsTestBed.plan("large", Map.of("allocated_storage", 100));

        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(large, SMALL))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("cannot shrink");
        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(
                        SMALL, RdsTestBed.plan("encrypted", Map.of("storage_encrypted", true))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("encryption");
        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(
                        SMALL, RdsTestBed.plan("sixteen", Map.of("engine_version", "16"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("does not upgrade PostgreSQL 15 to 16");
        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(
                        RdsTestBed.plan("newer", Map.of("engine_version", "15.8")),
                        RdsTestBed.plan("older", Map.of("engine_version", "15.4"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("downgrade");
    }

    @Test
    void plansAndParametersRdsWouldRefuseAreRefusedFirst() {
        assertThatThrownBy(() -> BED.provisioner.checkPlan(RdsTestBed.plan("tiny", Map.of("allocated_storage", 5))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("allocated_storage must be 20 to 65536 GiB");
        assertThatThrownBy(() -> BED.provisioner.checkPlan(RdsTestBed.plan("elsewhere", Map.of("account", "other"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("account 'other' is not configured");
        assertThatThrownBy(() -> BED.provisioner.checkParameters(SMALL, Map.of("extensions", List.of("plpython3u"))))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> BED.provisioner.checkParameters(SMALL, Map.of("backup_window", "3am")))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("hh24:mi-hh24:mi");
    }

    @Test
    void anInstanceDeletedOutsideTheBrokerIsReportedAndItsDeprovisionCompletes() {
        String instance = provision();
        rds().deleteDBInstance(b ->
                b.dbInstanceIdentifier(BED.provisioner.identifier(instance)).skipFinalSnapshot(true));
        awaitGone(instance);

        assertThatThrownBy(() -> BED.provisioner.poll(request(instance), "modify"))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("deleted outside the broker");
        deprovision(instance);
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void deletingKeepsAFinalSnapshotUnlessThePlanOrTheUserSaysNotTo() {
        String instance = provision(RdsTestBed.plan("kept", Map.of("skip_final_snapshot", false)));

        deprovision(instance);

        assertThat(rds().describeDBSnapshots(
                                b -> b.dbSnapshotIdentifier(BED.provisioner.identifier(instance) + "-final"))
                        .dbSnapshots())
                .hasSize(1);
    }

    @Test
    void deletionProtectionGuardsAgainstOthersAndTheBrokerLiftsItToDeprovision() {
        String instance = provision(RdsTestBed.plan("protected", Map.of("deletion_protection", true)));
        String id = BED.provisioner.identifier(instance);

        assertThatThrownBy(() ->
                        rds().deleteDBInstance(b -> b.dbInstanceIdentifier(id).skipFinalSnapshot(true)))
                .hasMessageContaining("deletion protection");
        deprovision(instance);

        assertThat(describe(instance)).isEmpty();
    }

    @Test
    void aSnapshotRestoresIntoANewInstanceWithItsDataItsOwnMasterPasswordAndNoneOfTheOldLogins() throws Exception {
        String source = provision();
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "in the snapshot");
        InstanceSnapshots snapshots = BED.provisioner.snapshots().orElseThrow();
        String snapshot = "pb-" + ResourceNames.hash(newId(), 24);

        completed(
                snapshots.startSnapshot(request(source), snapshot),
                ref -> snapshots.pollSnapshot(request(source), ref));
        writeThenRead(sourceBinding, "after the snapshot");
        InstanceRequest copy = new InstanceRequest(newId(), SMALL, Map.of(), Map.of("space_guid", "s"), Map.of());
        StepOutcome.Completed restored =
                completed(snapshots.restoreSnapshot(copy, snapshot), ref -> BED.provisioner.poll(copy, ref));
        InstanceRequest made =
                new InstanceRequest(copy.instanceId(), SMALL, Map.of(), copy.labels(), restored.outputs());
        try {
            Credentials copyBinding = BED.provisioner.bind(new BindRequest(made, newId(), Map.of()));

            assertThat(read(copyBinding)).isEqualTo("in the snapshot");
            assertThat(BED.inspector
                            .describeDBInstances(b ->
                                    b.dbInstanceIdentifier(restored.outputs().get("db_instance")))
                            .dbInstances()
                            .get(0)
                            .dbParameterGroups()
                            .get(0)
                            .dbParameterGroupName())
                    .as("the copy's parameter group")
                    .startsWith("pbtest-postgres15-");
            assertThat(BED.masterPassword(copy.instanceId())).isNotEqualTo(BED.masterPassword(source));
            String copyServer = "jdbc:postgresql://" + restored.outputs().get("host") + ":"
                    + restored.outputs().get("port") + "/postgres?sslmode=disable";
            assertThatThrownBy(() -> DriverManager.getConnection(
                                    copyServer.replace("sslmode=disable", "sslmode=require"),
                                    text(sourceBinding, "username"),
                                    text(sourceBinding, "password"))
                            .close())
                    .as("the source's binding on the copy")
                    .hasMessageContaining("password authentication failed");
        } finally {
            completed(BED.provisioner.deprovision(made), ref -> BED.provisioner.poll(made, ref));
        }
        snapshots.deleteSnapshot(snapshot);
        assertThat(rds().describeDBSnapshots(b -> b.dbInstanceIdentifier(BED.provisioner.identifier(source)))
                        .dbSnapshots())
                .isEmpty();
    }

    @Test
    void aPointInTimeRestoreMakesANewInstanceWithTheDataAsItWasThenReplayedFromTheLogs() throws Exception {
        assertThat(BED.provisioner.pointInTimeRestore().orElseThrow().window(SMALL))
                .isEqualTo(Duration.ofDays(7));

        restoredToAMoment((source, copy, moment) -> {
            assertThat(BED.masterPassword(copy.instanceId())).isNotEqualTo(BED.masterPassword(source));
            assertThat(BED.inspector
                            .describeDBInstances(b -> b.dbInstanceIdentifier(BED.provisioner.identifier(source)))
                            .dbInstances()
                            .get(0)
                            .latestRestorableTime())
                    .isAfterOrEqualTo(moment);
        });
    }

    /**
     * With {@code manage_master_user_password}, RDS makes the master password and keeps it in Secrets Manager: the
     * broker keeps none, reads it anew each time it acts as the master (so RDS's rotations break nothing), and a plan
     * change moves the password from RDS to the broker and back.
     */
    @Test
    void aPlanWhoseMasterPasswordRdsManagesKeepsNoneInTheBrokerAndFollowsRdssRotations() {
        String instance = provision(MANAGED);
        DBInstance rds = describe(instance).orElseThrow();
        String secret = rds.masterUserSecret().secretArn();
        assertThat(secret).contains(":secret:rds!db-");
        assertThat(BED.secrets.keySet()).as("the credential store").noneMatch(ref -> ref.endsWith(instance));
        assertThat(request(instance).outputs().values())
                .as("what the broker keeps of the instance")
                .doesNotContain(BED.managedMasterPassword(secret));
        Credentials first = bind(instance, newId());
        writeThenRead(first, "before the rotation");

        BED.rds.rotateManagedMasterPassword(rds.dbInstanceIdentifier());
        String secondId = newId();
        Credentials second = bind(instance, secondId);
        assertThat(read(second)).isEqualTo("before the rotation");
        unbind(instance, secondId);
        assertThatThrownBy(() -> read(second))
                .as("a binding unbound by the rotated master")
                .rootCause()
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("authentication failed");

        update(instance, SMALL);
        assertThat(describe(instance).orElseThrow().masterUserSecret()).isNull();
        assertThat(BED.account.bed.secretsManager().secretArns()).doesNotContain(secret);
        assertThat(BED.masterPassword(instance)).hasSize(32);
        assertThat(read(bind(instance, newId()))).isEqualTo("before the rotation");

        update(instance, MANAGED);
        assertThat(describe(instance).orElseThrow().masterUserSecret()).isNotNull();
        assertThat(BED.secrets.keySet()).as("the credential store").noneMatch(ref -> ref.endsWith(instance));
        assertThat(read(bind(instance, newId()))).isEqualTo("before the rotation");
        assertThat(BED.brokerPermissionsUsed())
                .contains(
                        "secretsmanager:GetSecretValue", "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret");
    }

    /** A restored instance of a plan whose master password RDS manages gets a secret of its own, not the source's. */
    @Test
    void aSnapshotOfAManagedInstanceRestoresIntoOneWithASecretOfItsOwn() {
        String source = provision(MANAGED);
        writeThenRead(bind(source, newId()), "in the snapshot");
        InstanceSnapshots snapshots = BED.provisioner.snapshots().orElseThrow();
        String snapshot = "pb-" + ResourceNames.hash(newId(), 24);
        completed(
                snapshots.startSnapshot(request(source), snapshot),
                ref -> snapshots.pollSnapshot(request(source), ref));
        InstanceRequest copy = new InstanceRequest(newId(), MANAGED, Map.of(), Map.of("space_guid", "s"), Map.of());
        StepOutcome.Completed restored =
                completed(snapshots.restoreSnapshot(copy, snapshot), ref -> BED.provisioner.poll(copy, ref));
        InstanceRequest made =
                new InstanceRequest(copy.instanceId(), MANAGED, Map.of(), copy.labels(), restored.outputs());
        try {
            assertThat(read(BED.provisioner.bind(new BindRequest(made, newId(), Map.of()))))
                    .isEqualTo("in the snapshot");
            assertThat(describe(copy.instanceId())
                            .orElseThrow()
                            .masterUserSecret()
                            .secretArn())
                    .isNotEqualTo(
                            describe(source).orElseThrow().masterUserSecret().secretArn());
            assertThat(BED.secrets.keySet()).noneMatch(ref -> ref.endsWith(copy.instanceId()));
        } finally {
            completed(BED.provisioner.deprovision(made), ref -> BED.provisioner.poll(made, ref));
            snapshots.deleteSnapshot(snapshot);
        }
    }

    @Test
    void aManagedMasterPasswordsKmsKeyIsForManagedPlansAndStaysAsItIs() {
        assertThatThrownBy(() -> BED.provisioner.checkPlan(
                        RdsTestBed.plan("keyed", Map.of("master_user_secret_kms_key_id", "alias/pb"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("needs manage_master_user_password");
        Plan keyed = RdsTestBed.plan(
                "keyed", Map.of("manage_master_user_password", true, "master_user_secret_kms_key_id", "alias/pb"));
        BED.provisioner.checkPlan(keyed);
        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(MANAGED, keyed))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("another KMS key");
        BED.provisioner.checkPlanChange(SMALL, keyed);
    }

    @Test
    void aPointInTimeBeforeTheSourceExistedIsRefusedByRds() {
        String source = provision();
        InstanceRequest copy = new InstanceRequest(newId(), SMALL, Map.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> BED.provisioner
                        .pointInTimeRestore()
                        .orElseThrow()
                        .restore(copy, request(source), Instant.now().minus(Duration.ofHours(1))))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("InvalidRestoreFault");
        assertThat(describe(copy.instanceId())).isEmpty();
    }

    @Test
    void theHealthOfEachAccountIsWhetherRdsAnswers() {
        assertThat(BED.provisioner.health().isUp()).isTrue();
        assertThat(BED.provisioner.health().resourcesUp()).containsKey("rds default " + RdsTestBed.REGION);
    }

    // --- helpers

    private static StepOutcome.Completed completed(StepOutcome outcome, Function<String, StepOutcome> poll) {
        return RdsTestBed.completed(outcome, poll);
    }

    private static RdsClient rds() {
        return BED.inspector;
    }

    private static Optional<DBInstance> describe(String instanceId) {
        return BED.describe(BED.provisioner, instanceId);
    }

    private static void awaitGone(String instanceId) {
        BED.awaitGone(BED.provisioner, instanceId);
    }

    private static Connection asMaster(String instanceId, DBInstance instance, String database) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", RdsNames.MASTER_USERNAME);
        login.setProperty("password", BED.masterPassword(instanceId));
        login.setProperty("sslmode", "verify-full");
        login.setProperty("sslrootcert", BED.certificates.caFile().toString());
        return DriverManager.getConnection(
                "jdbc:postgresql://" + instance.endpoint().address() + ":"
                        + instance.endpoint().port() + "/" + database,
                login);
    }
}
