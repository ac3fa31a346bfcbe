package io.paasbroker.provisioner.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.aws.TestBedAccount;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The provisioner contract and S3's and IAM's rules for S3 plans, through the unmodified SDK against the fake S3 (a
 * real S3 server behind it) and the fake IAM of the test bed, whose policies a real evaluator applies to every request
 * of a binding's key; every request the suite sends must pass the gates.
 */
class S3BucketProvisionerIT extends S3Contract {

    private static final TestBedAccount ACCOUNT = new TestBedAccount(Clock.systemUTC());
    private static final S3BucketProvisioner PROVISIONER = new S3BucketProvisioner(ACCOUNT.clients, "pbtest");
    private static final Plan STANDARD = plan("standard", Map.of());

    @AfterAll
    static void everyActionUsedIsInTheShippedIamPolicyAndTheTestBedStops() {
        ACCOUNT.closeCheckingTheIamPolicy("s3:CreateBucket", "iam:CreateUser", "iam:TagUser");
    }

    @AfterEach
    void everyRequestPassedTheGates() {
        assertThat(ACCOUNT.bed.takeViolations())
                .as("requests AWS's models refuse")
                .isEmpty();
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return PROVISIONER;
    }

    @Override
    protected Plan plan() {
        return STANDARD;
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    /** The instance's bucket, and the IAM users of its bindings. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> resources = new ArrayList<>();
        String bucket = PROVISIONER.bucket(instanceId);
        if (ACCOUNT.bed.s3().bucketNames().contains(bucket)) {
            resources.add("bucket:" + bucket);
        }
        String users = BucketNames.usersOf("pbtest", instanceId);
        ACCOUNT.bed.iam().userNames().stream()
                .filter(user -> user.startsWith(users))
                .forEach(user -> resources.add("user:" + user));
        return resources;
    }

    @Test
    void theBucketBlocksPublicAccessIsEncryptedAndTaggedAndVersionedWherePlanned() {
        String instance = provision(plan("versioned", Map.of("versioning", true)));
        String bucket = PROVISIONER.bucket(instance);

        assertThat(ACCOUNT.bed.s3().setting(bucket, "publicAccessBlock").orElseThrow())
                .contains("<BlockPublicAcls>true</BlockPublicAcls>")
                .contains("<RestrictPublicBuckets>true</RestrictPublicBuckets>");
        assertThat(ACCOUNT.bed.s3().setting(bucket, "encryption").orElseThrow()).contains("AES256");
        assertThat(ACCOUNT.bed.s3().setting(bucket, "versioning").orElseThrow()).contains("Enabled");
        assertThat(ACCOUNT.bed.s3().setting(bucket, "tagging").orElseThrow())
                .contains("paasbroker:instance")
                .contains(instance);
        String kms = provision(plan("kms", Map.of("kms_key_id", "alias/tenants")));
        assertThat(ACCOUNT.bed
                        .s3()
                        .setting(PROVISIONER.bucket(kms), "encryption")
                        .orElseThrow())
                .contains("aws:kms")
                .contains("alias/tenants");
    }

    @Test
    void aBindingsKeyReachesItsBucketOnlyAndAReadOnlyOneCannotWrite() {
        String instance = provision();
        String other = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));
        Credentials neighbour = bind(other, newId());
        writeThenRead(writer, "written-by-the-writer");

        assertThat(read(reader)).isEqualTo("written-by-the-writer");
        assertThat(errorCode(() -> client(reader)
                        .putObject(b -> b.bucket(text(reader, "bucket_name")).key("x"), RequestBody.fromString("x"))))
                .isEqualTo("AccessDenied");
        assertThat(errorCode(() -> client(neighbour).listObjectsV2(b -> b.bucket(text(writer, "bucket_name")))))
                .isEqualTo("AccessDenied");
        assertThat(errorCode(() -> client(writer).deleteBucket(b -> b.bucket(text(writer, "bucket_name")))))
                .isEqualTo("AccessDenied");
        assertThat(errorCode(() -> client(writer).listBuckets())).isEqualTo("AccessDenied");
    }

    @Test
    void aBucketHoldingObjectsIsNotDeletedUnlessThePlanSaysToAndTheRefusalChangesNothing() {
        String instance = provision(plan("keeping", Map.of("delete_non_empty_buckets", false)));
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "kept");

        assertThatThrownBy(() -> PROVISIONER.deprovision(request(instance)))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("holds objects");
        assertThat(read(credentials)).as("the binding after the refusal").isEqualTo("kept");

        update(instance, plan("deleting", Map.of("delete_non_empty_buckets", true)));
        deprovision(instance);
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void aBucketCannotMoveToAnotherRegionAndIamUsersLiveUnderTheBrokersPath() {
        assertThatThrownBy(() -> PROVISIONER.checkPlanChange(STANDARD, plan("ireland", Map.of("region", "eu-west-1"))))
                .isInstanceOf(PlanChangeRefusedException.class);
        String instance = provision();
        bind(instance, newId());

        List<User> users = ACCOUNT.bed
                .iam()
                .client(ACCOUNT.bed.issueKey())
                .listUsers(b -> b.pathPrefix("/paasbroker/pbtest/"))
                .users();
        assertThat(users)
                .extracting(User::userName)
                .anyMatch(name -> name.startsWith(BucketNames.usersOf("pbtest", instance)));
    }

    @Test
    void aStreamedBackupRestoresTheObjectsAndTheirMetadataIntoANewBucket() {
        String source = provision();
        Credentials writer = bind(source, newId());
        try (S3Client s3 = client(writer)) {
            s3.putObject(
                    b -> b.bucket(text(writer, "bucket_name"))
                            .key("reports/2026.csv")
                            .contentType("text/csv")
                            .metadata(Map.of("owner", "finance")),
                    RequestBody.fromString("a,b\n"));
        }
        writeThenRead(writer, "in the backup");
        byte[] backup = backup(source);

        String copy = provision();
        restore(copy, backup);

        Credentials reader = bind(copy, newId(), Map.of("read_only", true));
        assertThat(read(reader)).isEqualTo("in the backup");
        try (S3Client s3 = client(reader)) {
            var report = s3.getObjectAsBytes(
                    b -> b.bucket(text(reader, "bucket_name")).key("reports/2026.csv"));
            assertThat(report.asUtf8String()).isEqualTo("a,b\n");
            assertThat(report.response().contentType()).isEqualTo("text/csv");
            assertThat(report.response().metadata()).containsEntry("owner", "finance");
        }
        String broken = provision();
        byte[] cut = java.util.Arrays.copyOf(backup, backup.length - 3);
        assertThatThrownBy(() -> restore(broken, cut))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("not whole");
        assertThat(ACCOUNT.bed.s3().bucketNames()).contains(PROVISIONER.bucket(broken));
        Credentials brokenReader = bind(broken, newId(), Map.of("read_only", true));
        try (S3Client s3 = client(brokenReader)) {
            assertThat(s3.listObjectsV2(b -> b.bucket(text(brokenReader, "bucket_name")))
                            .contents())
                    .as("what the failed restore wrote")
                    .isEmpty();
        }
    }

    private static String errorCode(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
        throw new AssertionError("the call was not refused");
    }
}
