package io.paasbroker.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.aws.rds.RdsProvisioner;
import io.paasbroker.provisioner.aws.s3.S3BucketProvisioner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One broker serving several AWS accounts: a plan names its account, and an account the broker reaches through a role
 * (its ARN and the external id the role's trust policy asks for) is acted in with the temporary credentials STS gives
 * for that role, refreshed by the SDK, never with the broker's own. Against the test bed's fake STS, whose sessions the
 * fakes of RDS, ElastiCache, IAM and OpenSearch Service accept (not its S3: S3Proxy refuses session tokens).
 */
class AwsAccountsIT {

    private static final String ROLE = "arn:aws:iam::210987654321:role/paasbroker-tenants";
    private static final TestBedAccount BED = new TestBedAccount(Clock.systemUTC());
    private static final AwsClients CLIENTS = BED.clientsOf(Map.of(
            "default", BED.account("default", null, null),
            "tenants", BED.account("tenants", ROLE, "external-id-of-the-operator"),
            "untrusted", BED.account("untrusted", ROLE, "another-external-id")));
    private static final S3BucketProvisioner PROVISIONER = new S3BucketProvisioner(CLIENTS, "pbaccounts");

    @AfterAll
    static void stop() {
        CLIENTS.close();
        BED.close();
    }

    @AfterEach
    void everyRequestPassedTheGates() {
        assertThat(BED.bed.takeViolations()).isEmpty();
    }

    private static Plan plan(String account) {
        return AwsPlans.plan(
                "s3",
                "in-" + account,
                "a bucket in account " + account,
                Map.of("account", account, "delete_non_empty_buckets", true),
                Map.of());
    }

    @Test
    void anAccountWithARoleIsActedInWithThatRolesSessionAndOneWhoseRoleRefusesIsReportedSo() {
        BED.bed.sts().addRole(ROLE, "external-id-of-the-operator");
        RdsProvisioner rds = RdsProvisioner.postgres(CLIENTS, BED.masters(), "pbaccounts");

        Health health = rds.health();

        List<String> sessions = BED.bed.sts().sessionKeysOf(ROLE);
        assertThat(sessions).as("sessions of the tenants' role").isNotEmpty();
        assertThat(sessions)
                .anySatisfy(
                        key -> assertThat(BED.bed.rds().permissionsUsed(key)).contains("rds:DescribeDBInstances"));
        assertThat(BED.bed.sts().permissionsUsed(BED.bed.accessKey().id())).contains("sts:AssumeRole");
        assertThat(health.resourcesUp())
                .containsKeys("rds default " + AwsTestBed.REGION, "rds tenants " + AwsTestBed.REGION);
        assertThat(health.problemsByResource().get("rds untrusted " + AwsTestBed.REGION))
                .contains("AccessDenied")
                .contains("sts:AssumeRole");
    }

    @Test
    void aRoleWhoseTrustPolicyRefusesTheBrokerFailsTheStepSayingSoAndMakesNothing() {
        BED.bed.sts().addRole(ROLE, "external-id-of-the-operator");
        String instance = UUID.randomUUID().toString();
        InstanceRequest request = new InstanceRequest(instance, plan("untrusted"), Map.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> PROVISIONER.provision(request))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("AccessDenied")
                .hasMessageContaining("sts:AssumeRole");
        assertThat(BED.bed.s3().bucketNames()).doesNotContain(PROVISIONER.bucket(instance));
    }

    @Test
    void thePlansOfTheBrokersOwnAccountStillUseItsOwnKey() {
        String instance = UUID.randomUUID().toString();
        InstanceRequest request = new InstanceRequest(instance, plan("default"), Map.of(), Map.of(), Map.of());

        PROVISIONER.provision(request);

        assertThat(BED.bed.s3().permissionsUsed(BED.bed.accessKey().id())).contains("s3:CreateBucket");
        PROVISIONER.deprovision(request);
    }
}
