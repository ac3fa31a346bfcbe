package io.paasbroker.provisioner.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.aws.TestBedAccount;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The live suite's reaper, against the test bed: it deletes one run's leftovers and nothing of anyone else's. */
class S3ReaperIT {

    private static final TestBedAccount BED = new TestBedAccount(Clock.systemUTC(), Duration.ZERO);

    /** The buckets the test bed makes for the broker's backups and snapshots, which no reaper touches. */
    private static final Set<String> TEST_BED_BUCKETS = Set.of(AwsTestBed.BACKUP_BUCKET, AwsTestBed.SNAPSHOT_BUCKET);

    @AfterAll
    static void stopTestBed() {
        assertThat(BED.bed.takeViolations()).isEmpty();
        BED.close();
    }

    @Test
    @Timeout(120)
    void aRunsBucketsWithTheirObjectsAndItsUsersWithTheirKeysGoAndAnotherBrokersStay() {
        S3BucketProvisioner run = new S3BucketProvisioner(BED.clients, "pbrun");
        S3BucketProvisioner other = new S3BucketProvisioner(BED.clients, "pbother");
        String leftover = UUID.randomUUID().toString();
        provisionedAndBound(run, leftover);
        provisionedAndBound(other, UUID.randomUUID().toString());
        try (S3Client s3 = BED.bed.s3().client(BED.bed.issueKey());
                IamClient iam = BED.bed.iam().client(BED.bed.issueKey())) {
            s3.putObject(b -> b.bucket(run.bucket(leftover)).key("left"), RequestBody.fromString("data"));

            assertThat(S3Reaper.reap(s3, iam, "pbrun")).containsExactly(run.bucket(leftover));

            assertThat(BED.bed.s3().bucketNames())
                    .filteredOn(bucket -> !TEST_BED_BUCKETS.contains(bucket))
                    .singleElement()
                    .satisfies(bucket -> assertThat(bucket).startsWith("pbother-"));
            assertThat(BED.bed.iam().userNames())
                    .singleElement()
                    .satisfies(user -> assertThat(user).startsWith("pbother-"));
            S3Reaper.reap(s3, iam, "pbother");
            assertThat(BED.bed.iam().userNames()).isEmpty();
            assertThat(BED.bed.s3().bucketNames()).containsExactlyInAnyOrderElementsOf(TEST_BED_BUCKETS);
        }
    }

    private static void provisionedAndBound(S3BucketProvisioner provisioner, String instance) {
        InstanceRequest request =
                new InstanceRequest(instance, S3Contract.plan("reaped", Map.of()), Map.of(), Map.of(), Map.of());
        assertThat(provisioner.provision(request)).isInstanceOf(StepOutcome.Completed.class);
        BindRequest binding = new BindRequest(request, UUID.randomUUID().toString(), Map.of());
        assertThat(provisioner.startBind(binding)).isInstanceOf(BindOutcome.Bound.class);
    }
}
