package io.paasbroker.provisioner.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.local.common.LocalPlans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The provisioner contract and S3's own isolation guarantees, on the local S3 server through the AWS SDK's S3 client,
 * the way applications use their credentials.
 */
@Timeout(60)
class LocalS3ProvisionerIT extends ServiceProvisionerContract {

    private static final String MARKER = "marker";
    private static final Plan DELETES_DATA = LocalPlans.plan(
            "s3-scratch",
            "scratch",
            "a bucket deleted with its objects",
            "1.0.0",
            Map.of("delete_non_empty_buckets", true));
    private static final Plan KEEPS_DATA = LocalPlans.plan("s3-standard", "standard", "a bucket", "1.0.0", Map.of());

    private static Path storage;
    private static S3Namespaces namespaces;
    private static InMemoryS3Keys keys;
    private static LocalS3Server server;
    private static LocalS3Provisioner provisioner;

    @BeforeAll
    static void startTheServer() throws IOException {
        storage = Files.createTempDirectory("local-s3-it");
        namespaces = new S3Namespaces(storage);
        keys = new InMemoryS3Keys();
        server = LocalS3Server.start("127.0.0.1", 0, "127.0.0.1", namespaces, keys, Optional.empty());
        provisioner = new LocalS3Provisioner(server, namespaces, keys);
    }

    @AfterAll
    static void stopTheServer() throws IOException {
        server.close();
        namespaces.close();
        try (var paths = Files.walk(storage)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected Plan plan() {
        return DELETES_DATA;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        S3Tenant tenant = S3Tenant.of(credentials);
        return new TenantSession() {
            @Override
            public void writeMarker(String marker) {
                tenant.put(MARKER, marker);
            }

            @Override
            public String readMarker() {
                try {
                    return tenant.get(tenant.bucket(), MARKER);
                } catch (NoSuchKeyException e) {
                    return null;
                }
            }

            @Override
            public String readMarkerOf(Credentials other) {
                return tenant.get((String) other.values().get("bucket_name"), MARKER);
            }

            @Override
            public void close() {
                tenant.close();
            }
        };
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String namespace = S3Names.namespace(instanceId);
        List<String> left = new ArrayList<>();
        if (namespaces.exists(namespace)) {
            left.add("namespace " + namespace);
        }
        keys.bindingsOn(namespace).forEach(binding -> left.add("key of binding " + binding));
        return left;
    }

    @Test
    void aTenantListsItsOwnBucketOnly() {
        Credentials mine = bind(provision(), newId());
        bind(provision(), newId());

        try (S3Tenant tenant = S3Tenant.of(mine)) {
            assertThat(tenant.client().listBuckets().buckets())
                    .extracting(b -> b.name())
                    .containsExactly(tenant.bucket());
        }
    }

    @Test
    void anotherTenantsBucketCannotBeListedReadWrittenOrDeleted() {
        Credentials theirs = bind(provision(), newId());
        Credentials mine = bind(provision(), newId());
        String theirBucket = (String) theirs.values().get("bucket_name");
        try (S3Tenant owner = S3Tenant.of(theirs);
                S3Tenant intruder = S3Tenant.of(mine)) {
            owner.put("secret", "their data");
            assertThat(owner.get(theirBucket, "secret"))
                    .as("the owner's own read")
                    .isEqualTo("their data");
            S3Client client = intruder.client();

            assertDenied(() -> client.listObjectsV2(b -> b.bucket(theirBucket)));
            assertDenied(() -> client.headBucket(b -> b.bucket(theirBucket)));
            assertDenied(() -> client.getObject(b -> b.bucket(theirBucket).key("secret")));
            assertDenied(() -> client.headObject(b -> b.bucket(theirBucket).key("secret")));
            assertDenied(() ->
                    client.putObject(b -> b.bucket(theirBucket).key("secret"), RequestBody.fromString("overwritten")));
            assertDenied(() -> client.deleteObject(b -> b.bucket(theirBucket).key("secret")));
            assertDenied(() ->
                    client.deleteObjects(b -> b.bucket(theirBucket).delete(d -> d.objects(o -> o.key("secret")))));
            assertDenied(() -> client.copyObject(b -> b.sourceBucket(theirBucket)
                    .sourceKey("secret")
                    .destinationBucket(intruder.bucket())
                    .destinationKey("stolen")));
            assertDenied(() -> client.deleteBucket(b -> b.bucket(theirBucket)));
            assertDenied(() -> client.putBucketAcl(b -> b.bucket(theirBucket).acl(BucketCannedACL.PUBLIC_READ)));

            assertThat(owner.get(theirBucket, "secret")).isEqualTo("their data");
        }
    }

    @Test
    void aTenantCannotCreateBucketsNorMakeItsDataPublic() {
        Credentials mine = bind(provision(), newId());
        try (S3Tenant tenant = S3Tenant.of(mine)) {
            S3Client client = tenant.client();

            assertDenied(() -> client.createBucket(b -> b.bucket("pb-my-own-extra-bucket")));
            assertDenied(
                    () -> client.putBucketAcl(b -> b.bucket(tenant.bucket()).acl(BucketCannedACL.PUBLIC_READ)));
            assertDenied(() -> client.putObject(
                    b -> b.bucket(tenant.bucket()).key("open").acl(ObjectCannedACL.PUBLIC_READ),
                    RequestBody.fromString("for everyone")));
            assertDenied(() -> client.deleteBucket(b -> b.bucket(tenant.bucket())));
        }
    }

    @Test
    void anonymousRequestsReachNothing() {
        Credentials theirs = bind(provision(), newId());
        String theirBucket = (String) theirs.values().get("bucket_name");
        writeThenRead(theirs, "their data");

        try (S3Client anonymous = S3Tenant.anonymous(theirs)) {
            assertDenied(() -> anonymous.listBuckets());
            assertDenied(() -> anonymous.listObjectsV2(b -> b.bucket(theirBucket)));
            assertDenied(() -> anonymous.getObject(b -> b.bucket(theirBucket).key(MARKER)));
            assertDenied(() ->
                    anonymous.putObject(b -> b.bucket(theirBucket).key("x"), RequestBody.fromString("anonymous")));
            assertDenied(() -> anonymous.createBucket(b -> b.bucket("pb-anonymous")));
        }
    }

    @Test
    void aReadOnlyKeyListsAndReadsAndChangesNothing() {
        String instance = provision();
        writeThenRead(bind(instance, newId()), "written by the app");
        Credentials reader = bind(instance, newId(), Map.of(BindRequest.READ_ONLY, true));

        try (S3Tenant tenant = S3Tenant.of(reader)) {
            S3Client client = tenant.client();
            assertThat(client.listObjectsV2(b -> b.bucket(tenant.bucket())).contents())
                    .extracting(S3Object::key)
                    .containsExactly(MARKER);
            assertThat(tenant.get(tenant.bucket(), MARKER)).isEqualTo("written by the app");

            assertDenied(() -> tenant.put(MARKER, "changed"));
            assertDenied(() -> tenant.put("new", "added"));
            assertDenied(
                    () -> client.deleteObject(b -> b.bucket(tenant.bucket()).key(MARKER)));
            assertDenied(() ->
                    client.deleteObjects(b -> b.bucket(tenant.bucket()).delete(d -> d.objects(o -> o.key(MARKER)))));
            assertDenied(() -> client.copyObject(b -> b.sourceBucket(tenant.bucket())
                    .sourceKey(MARKER)
                    .destinationBucket(tenant.bucket())
                    .destinationKey("copy")));
            assertDenied(() ->
                    client.createMultipartUpload(b -> b.bucket(tenant.bucket()).key("big")));
            assertThat(tenant.get(tenant.bucket(), MARKER)).isEqualTo("written by the app");
        }
    }

    @Test
    void anUnboundKeyIsRefusedAtOnceWhileTheOtherBindingsWork() {
        String instance = provision();
        String leaving = newId();
        Credentials unbound = bind(instance, leaving);
        Credentials staying = bind(instance, newId());
        writeThenRead(unbound, "before unbind");

        unbind(instance, leaving);

        try (S3Tenant tenant = S3Tenant.of(unbound)) {
            assertDenied(() -> tenant.get(tenant.bucket(), MARKER));
            assertDenied(() -> tenant.put(MARKER, "after unbind"));
        }
        assertThat(read(staying)).isEqualTo("before unbind");
    }

    @Test
    void deprovisionOfABucketThatHoldsObjectsFailsAndKeepsTheDataAndTheKeys() {
        String instance = provision(KEEPS_DATA);
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "keep me");
        InstanceRequest request = request(instance);

        ProvisioningFailedException refused =
                catchThrowableOfType(ProvisioningFailedException.class, () -> provisioner.deprovision(request));

        assertThat(refused.getMessage())
                .contains((String) credentials.values().get("bucket_name"))
                .contains("still holds objects");
        assertThat(read(credentials)).isEqualTo("keep me");
        try (S3Tenant tenant = S3Tenant.of(credentials)) {
            tenant.client().deleteObject(b -> b.bucket(tenant.bucket()).key(MARKER));
        }
        deprovision(instance);
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void keysAndDataOutliveARestartOfTheServer() throws IOException {
        Credentials credentials = bind(provision(), newId());
        writeThenRead(credentials, "durable");

        server.close();
        server = LocalS3Server.start("127.0.0.1", server.port(), "127.0.0.1", namespaces, keys, Optional.empty());

        assertThat(read(credentials)).isEqualTo("durable");
    }

    @Test
    void bindingParametersOtherThanReadOnlyTrueOrFalseAreRefused() {
        String instance = provision();
        assertThatThrownBy(() -> bind(instance, newId(), Map.of(BindRequest.READ_ONLY, "yes")))
                .hasMessageContaining("read_only");
    }

    // --- backups

    @Test
    void backupRestoredIntoANewInstanceHoldsTheObjectsOfBackupTimeWithTheirMetadata() {
        String original = provision();
        Credentials writer = bind(original, newId());
        try (S3Tenant tenant = S3Tenant.of(writer)) {
            writeShop(tenant);
            byte[] backup = backup(original);
            tenant.put("after-the-backup", "new");
            tenant.put("notes.txt", "changed");
            tenant.client().deleteObject(b -> b.bucket(tenant.bucket()).key("photos/apple.bin"));

            String copy = provision();
            restore(copy, backup);

            try (S3Tenant restored = S3Tenant.of(bind(copy, newId()))) {
                S3Client client = restored.client();
                assertThat(client.listObjectsV2(b -> b.bucket(restored.bucket()))
                                .contents())
                        .extracting(S3Object::key)
                        .containsExactly("notes.txt", "photos/apple.bin");
                assertThat(restored.get(restored.bucket(), "notes.txt")).isEqualTo("buy pears");
                assertThat(client.getObjectAsBytes(
                                        b -> b.bucket(restored.bucket()).key("photos/apple.bin"))
                                .asByteArray())
                        .isEqualTo(PHOTO);
                HeadObjectResponse photo =
                        client.headObject(b -> b.bucket(restored.bucket()).key("photos/apple.bin"));
                assertThat(photo.contentType()).isEqualTo("image/x-test");
                assertThat(photo.cacheControl()).isEqualTo("max-age=60");
                assertThat(photo.metadata()).isEqualTo(Map.of("taken-by", "ann", "colour", "red"));
                restored.put("written-after-restore", "works");
                assertThat(restored.get(restored.bucket(), "written-after-restore"))
                        .isEqualTo("works");
            }
        }
    }

    @Test
    void backupOfOneInstanceHoldsNothingOfAnother() {
        try (S3Tenant neighbour = S3Tenant.of(bind(provision(), newId()))) {
            neighbour.put("neighbours-secret", "theirs");
        }
        String mine = provision();
        try (S3Tenant tenant = S3Tenant.of(bind(mine, newId()))) {
            writeShop(tenant);
        }

        String backup = new String(backup(mine), StandardCharsets.ISO_8859_1);

        assertThat(backup).contains("notes.txt").doesNotContain("neighbours-secret", "theirs");
    }

    @Test
    void restoringTwiceEndsAsRestoringOnce() {
        String original = provision();
        try (S3Tenant tenant = S3Tenant.of(bind(original, newId()))) {
            writeShop(tenant);
        }
        byte[] backup = backup(original);
        String copy = provision();

        restore(copy, backup);
        restore(copy, backup);

        try (S3Tenant restored = S3Tenant.of(bind(copy, newId()))) {
            assertThat(restored.client()
                            .listObjectsV2(b -> b.bucket(restored.bucket()))
                            .contents())
                    .extracting(S3Object::key)
                    .containsExactly("notes.txt", "photos/apple.bin");
            assertThat(restored.get(restored.bucket(), "notes.txt")).isEqualTo("buy pears");
        }
    }

    @Test
    void aTruncatedOrCorruptedBackupFailsTheRestore() {
        String original = provision();
        try (S3Tenant tenant = S3Tenant.of(bind(original, newId()))) {
            writeShop(tenant);
        }
        byte[] backup = backup(original);
        String copy = provision();

        for (byte[] broken : List.of(Arrays.copyOf(backup, backup.length - 3), "not a backup".getBytes())) {
            assertThatThrownBy(() -> restore(copy, broken))
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("restoring the instance's objects failed");
        }
    }

    @Test
    void aRestoreThatFailsPartWayRemovesWhatItWroteSoEvenAPlanThatKeepsDataLetsTheInstanceGo() {
        String original = provision();
        try (S3Tenant tenant = S3Tenant.of(bind(original, newId()))) {
            writeShop(tenant);
        }
        byte[] backup = backup(original);
        String copy = provision(KEEPS_DATA);

        assertThatThrownBy(() -> restore(copy, Arrays.copyOf(backup, backup.length - 3)))
                .isInstanceOf(ProvisioningFailedException.class);

        deprovision(copy);
        assertThat(resourcesLeftFor(copy)).isEmpty();
    }

    /** S3Proxy keeps an unfinished multipart upload as a hidden object of the bucket, which is no object of the tenant. */
    @Test
    void anUnfinishedMultipartUploadNeitherKeepsTheBucketFromBeingEmptyNorGoesIntoABackup() {
        String instance = provision(KEEPS_DATA);
        try (S3Tenant tenant = S3Tenant.of(bind(instance, newId()))) {
            tenant.client().createMultipartUpload(b -> b.bucket(tenant.bucket()).key("big.bin"));
        }

        byte[] backup = backup(instance);
        deprovision(instance);

        assertThat(new String(backup, StandardCharsets.ISO_8859_1)).doesNotContain("s3proxy-mpu-stub", "big.bin");
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    private static final byte[] PHOTO = {0, (byte) 0xff, 10, 13, 92, 39};

    /** A text object and a binary one under a "directory", with a content type, a cache control and user metadata. */
    private static void writeShop(S3Tenant tenant) {
        tenant.put("notes.txt", "buy pears");
        tenant.client()
                .putObject(
                        b -> b.bucket(tenant.bucket())
                                .key("photos/apple.bin")
                                .contentType("image/x-test")
                                .cacheControl("max-age=60")
                                .metadata(Map.of("taken-by", "ann", "colour", "red")),
                        RequestBody.fromBytes(PHOTO));
    }

    private static void assertDenied(ThrowingCallable call) {
        S3Exception refused = catchThrowableOfType(S3Exception.class, call);
        assertThat(refused).as("expected S3 to refuse").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(403);
    }
}
