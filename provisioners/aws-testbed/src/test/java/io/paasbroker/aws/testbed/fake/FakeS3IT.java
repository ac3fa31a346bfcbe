package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.testbed.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The fake S3 through the unmodified SDK client: bucket settings kept, objects stored by the real S3 server behind it
 * (chunked, signed uploads included), and every request of a key the fake IAM issued allowed only as its user's
 * policies say.
 */
class FakeS3IT {

    private static final String REGION = "eu-west-2";

    private final ManualClock clock = new ManualClock();
    private AccessKeys keys;
    private FakeIam iam;
    private FakeS3 fake;
    private IamClient iamClient;
    private S3Client s3;

    @BeforeEach
    void start() {
        keys = AccessKeys.withFirstKey(clock);
        iam = new FakeIam(keys, Duration.ofSeconds(10), clock);
        fake = new FakeS3(REGION, keys, iam);
        iamClient = iam.client(keys.first());
        s3 = fake.client(keys.first());
    }

    @AfterEach
    void stop() {
        assertThat(fake.takeViolations()).as("requests the model refuses").isEmpty();
        assertThat(iam.takeViolations()).as("requests the model refuses").isEmpty();
        s3.close();
        iamClient.close();
        fake.close();
        iam.close();
    }

    @Test
    void aBucketKeepsItsSettingsAndItsObjects() {
        bucket("pb-a");
        s3.putBucketVersioning(
                b -> b.bucket("pb-a").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        // as the AWS CLI sends it: the real server's 100 Continue must not reach the client as the answer
        s3.putObject(
                b -> b.bucket("pb-a")
                        .key("dir/report.csv")
                        .overrideConfiguration(o -> o.putHeader("Expect", "100-continue")),
                RequestBody.fromString("a,b\n1,2\n"));

        assertThat(s3.getObjectAsBytes(b -> b.bucket("pb-a").key("dir/report.csv"))
                        .asUtf8String())
                .isEqualTo("a,b\n1,2\n");
        assertThat(s3.getBucketVersioning(b -> b.bucket("pb-a")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertThat(s3.getPublicAccessBlock(b -> b.bucket("pb-a"))
                        .publicAccessBlockConfiguration()
                        .blockPublicAcls())
                .isTrue();
        assertThat(s3.getBucketEncryption(b -> b.bucket("pb-a"))
                        .serverSideEncryptionConfiguration()
                        .rules()
                        .get(0)
                        .applyServerSideEncryptionByDefault()
                        .sseAlgorithm())
                .isEqualTo(ServerSideEncryption.AES256);
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("pb-a")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                        .isEqualTo("BucketNotEmpty"));
        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("pb-none")))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchBucket"));
        assertThat(fake.permissionsUsed(keys.first().id()))
                .contains("s3:CreateBucket", "s3:PutBucketPublicAccessBlock", "s3:PutEncryptionConfiguration");
    }

    @Test
    void aBucketOnDiskServesTheFilesAnotherProgramWroteThere(@TempDir Path root) throws IOException {
        Path directory = fake.createBucketOnDisk("pb-snapshots", root);
        // as an OpenSearch node's fs repository writes them: plain files, no extended attributes
        Files.createDirectories(directory.resolve("domain-a/indices/0"));
        Files.writeString(directory.resolve("domain-a/index-0"), "{}");
        Files.writeString(directory.resolve("domain-a/indices/0/snap-1.dat"), "data");
        Files.createDirectories(directory.resolve("domain-b"));
        Files.writeString(directory.resolve("domain-b/index-0"), "{}");
        s3.putObject(b -> b.bucket("pb-snapshots").key("domain-a/via-s3"), RequestBody.fromString("s3's"));

        List<String> listed = s3.listObjectsV2(b -> b.bucket("pb-snapshots").prefix("domain-a/")).contents().stream()
                .map(S3Object::key)
                .toList();
        assertThat(listed)
                .containsExactlyInAnyOrder("domain-a/index-0", "domain-a/indices/0/snap-1.dat", "domain-a/via-s3");
        assertThat(Files.readString(directory.resolve("domain-a/via-s3"))).isEqualTo("s3's");

        s3.deleteObjects(b -> b.bucket("pb-snapshots")
                .delete(d -> d.objects(listed.stream()
                        .map(key -> ObjectIdentifier.builder().key(key).build())
                        .toList())));

        assertThat(s3.listObjectsV2(b -> b.bucket("pb-snapshots").prefix("domain-a/"))
                        .contents())
                .isEmpty();
        assertThat(directory.resolve("domain-a/indices/0/snap-1.dat")).doesNotExist();
        assertThat(directory.resolve("domain-b/index-0")).exists();
        assertThat(fake.bucketNames()).contains("pb-snapshots");
    }

    @Test
    void aUsersKeyReachesWhatItsPolicyAllowsOnceIamHasPropagatedIt() {
        bucket("pb-a");
        bucket("pb-b");
        s3.putObject(b -> b.bucket("pb-b").key("secret"), RequestBody.fromString("b's"));
        iamClient.createUser(b -> b.userName("pb-a-reader"));
        iamClient.putUserPolicy(
                b -> b.userName("pb-a-reader").policyName("bucket").policyDocument("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::pb-a"},
                  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::pb-a/*"}]}
                """));
        AccessKey key =
                iamClient.createAccessKey(b -> b.userName("pb-a-reader")).accessKey();

        try (S3Client tenant = fake.client(new AccessKeys.Key(key.accessKeyId(), key.secretAccessKey()))) {
            assertThat(errorCode(() -> tenant.listObjectsV2(b -> b.bucket("pb-a"))))
                    .isEqualTo("InvalidAccessKeyId");
            clock.advance(Duration.ofSeconds(10));

            tenant.putObject(b -> b.bucket("pb-a").key("mine"), RequestBody.fromString("a's"));
            assertThat(tenant.listObjectsV2(b -> b.bucket("pb-a")).contents()).hasSize(1);
            assertThat(errorCode(() -> tenant.listObjectsV2(b -> b.bucket("pb-b"))))
                    .isEqualTo("AccessDenied");
            assertThat(errorCode(
                            () -> tenant.getObjectAsBytes(b -> b.bucket("pb-b").key("secret"))))
                    .isEqualTo("AccessDenied");
            assertThat(errorCode(() -> tenant.deleteObject(b -> b.bucket("pb-a").key("mine"))))
                    .isEqualTo("AccessDenied");
            assertThat(errorCode(() -> tenant.deleteBucket(b -> b.bucket("pb-a"))))
                    .isEqualTo("AccessDenied");

            iamClient.deleteAccessKey(b -> b.userName("pb-a-reader").accessKeyId(key.accessKeyId()));
            assertThat(errorCode(() -> tenant.listObjectsV2(b -> b.bucket("pb-a"))))
                    .isEqualTo("InvalidAccessKeyId");
        }
    }

    private void bucket(String name) {
        s3.createBucket(b -> b.bucket(name)
                .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_2)));
        s3.putPublicAccessBlock(b -> b.bucket(name)
                .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                        .ignorePublicAcls(true)
                        .blockPublicPolicy(true)
                        .restrictPublicBuckets(true)));
        s3.putBucketEncryption(b -> b.bucket(name)
                .serverSideEncryptionConfiguration(c -> c.rules(
                        r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
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
