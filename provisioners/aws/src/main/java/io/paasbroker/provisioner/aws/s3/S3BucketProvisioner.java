package io.paasbroker.provisioner.aws.s3;

import static io.paasbroker.provisioner.aws.AwsPlanRules.refuseUnless;
import static io.paasbroker.provisioner.aws.AwsPlanRules.require;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AsyncBinder;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.AwsHealth;
import io.paasbroker.provisioner.aws.S3Objects;
import io.paasbroker.provisioner.credentials.S3Credentials;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * S3 with a bucket of each service instance's own: Block Public Access on, objects encrypted at rest (S3's keys, or
 * the plan's KMS key), versioning per plan, tagged for cost attribution. Each binding is an IAM user of its own with an
 * inline policy that reaches that bucket alone (read-only where asked) and an access key, deleted on unbind. IAM is
 * eventually consistent: a bind makes the key, then waits (a bounded while) until S3 takes it before it hands it out;
 * one S3 does not take in that while is deleted, and the next poll makes another. A key's secret is shown once, by
 * IAM, when it is made: a bind run again deletes the user's keys first, whose secrets nobody kept.
 */
public final class S3BucketProvisioner implements ServiceProvisioner, AsyncBinder {

    public static final String NAME = "aws";

    /** How long one poll of a bind waits for S3 to take a new key before it gives up on the key. */
    private static final Duration KEY_WAIT = Duration.ofSeconds(20);

    private static final String KEY_STEP = "key";

    private final AwsClients clients;
    private final String prefix;

    /** @param prefix what every bucket and IAM user name the broker makes starts with, and its broker tag */
    public S3BucketProvisioner(AwsClients clients, String prefix) {
        this.clients = clients;
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.S3;
    }

    @Override
    public boolean completesSynchronously() {
        return false;
    }

    @Override
    public void checkPlan(Plan plan) {
        BucketPlan properties = plan(plan);
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        require(
                clients.hasAccount(properties.account()),
                name + "account '" + properties.account() + "' is not configured (paasbroker.aws.accounts);"
                        + " configured: " + clients.accounts().keySet());
        require(
                properties.kmsKeyId() == null || properties.kmsKeyId().matches("[A-Za-z0-9:/_-]{1,2048}"),
                name + "kms_key_id must be a KMS key id, alias or ARN");
    }

    /** A bucket cannot move: another account or region is refused. */
    @Override
    public void checkPlanChange(Plan from, Plan to) {
        BucketPlan before = plan(from);
        BucketPlan after = plan(to);
        refuseUnless(
                before.account().equals(after.account()) && Objects.equals(before.region(), after.region()),
                "a bucket's objects cannot move to another AWS account or region: create an instance of the other"
                        + " plan and copy them");
    }

    /** The name of the instance's bucket. */
    public String bucket(String instanceId) {
        return BucketNames.bucket(prefix, instanceId);
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        BucketPlan plan = plan(request.plan());
        String bucket = bucket(request.instanceId());
        String region = region(plan);
        try {
            AwsCalls.call(
                    "creating S3 bucket " + bucket,
                    () -> s3(plan).createBucket(b -> {
                        b.bucket(bucket);
                        if (!region.equals("us-east-1")) {
                            b.createBucketConfiguration(c -> c.locationConstraint(region));
                        }
                    }));
        } catch (ProvisioningFailedException e) {
            // made by a first run of the step: the name is this instance's, and the account is the broker's
            if (!(e.getCause() instanceof BucketAlreadyOwnedByYouException)) {
                throw e;
            }
        }
        return StepOutcome.Completed.with(configure(request, plan));
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        throw new IllegalStateException("S3 steps complete at once: nothing is left to poll");
    }

    /** Sets the bucket's settings to the plan's; answers what the broker keeps of the instance. */
    private Map<String, String> configure(InstanceRequest request, BucketPlan plan) {
        String bucket = bucket(request.instanceId());
        S3Client s3 = s3(plan);
        AwsCalls.call(
                "blocking public access to S3 bucket " + bucket,
                () -> s3.putPublicAccessBlock(b -> b.bucket(bucket)
                        .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                                .ignorePublicAcls(true)
                                .blockPublicPolicy(true)
                                .restrictPublicBuckets(true))));
        AwsCalls.call(
                "setting the encryption of S3 bucket " + bucket,
                () -> s3.putBucketEncryption(b -> b.bucket(bucket)
                        .serverSideEncryptionConfiguration(c -> c.rules(r -> r.bucketKeyEnabled(plan.kmsKeyId() != null)
                                .applyServerSideEncryptionByDefault(d -> {
                                    if (plan.kmsKeyId() == null) {
                                        d.sseAlgorithm(ServerSideEncryption.AES256);
                                    } else {
                                        d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                                                .kmsMasterKeyID(plan.kmsKeyId());
                                    }
                                })))));
        BucketVersioningStatus versioning =
                plan.versioning() ? BucketVersioningStatus.ENABLED : BucketVersioningStatus.SUSPENDED;
        if (plan.versioning() || versioningStatus(s3, bucket) == BucketVersioningStatus.ENABLED) {
            // a bucket never versioned stays so; one that was keeps its versions, and makes no more
            AwsCalls.call(
                    "setting the versioning of S3 bucket " + bucket,
                    () -> s3.putBucketVersioning(
                            b -> b.bucket(bucket).versioningConfiguration(c -> c.status(versioning))));
        }
        List<Tag> tags = ResourceTags.of(request, prefix).entrySet().stream()
                .map(tag ->
                        Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
        AwsCalls.call(
                "tagging S3 bucket " + bucket,
                () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tags))));
        return Map.of("bucket_name", bucket, "region", region(plan), "arn", "arn:aws:s3:::" + bucket);
    }

    private static BucketVersioningStatus versioningStatus(S3Client s3, String bucket) {
        return AwsCalls.call(
                        "reading the versioning of S3 bucket " + bucket,
                        () -> s3.getBucketVersioning(b -> b.bucket(bucket)))
                .status();
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        checkPlanChange(request.previousPlan(), request.instance().plan());
        return StepOutcome.Completed.with(
                configure(request.instance(), plan(request.instance().plan())));
    }

    /**
     * Refuses to delete a bucket that holds objects unless the plan says to delete them; then deletes the instance's
     * users (bindings never unbound among them), the objects, and the bucket. The refusal comes first and changes
     * nothing.
     */
    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        BucketPlan plan = plan(request.plan());
        String bucket = bucket(request.instanceId());
        S3Client s3 = s3(plan);
        List<ObjectIdentifier> objects;
        try {
            objects = S3Objects.page(s3, bucket, "");
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof NoSuchBucketException) {
                deleteUsers(plan, request.instanceId());
                return StepOutcome.Completed.with(Map.of());
            }
            throw e;
        }
        if (!objects.isEmpty() && !plan.deleteNonEmptyBuckets()) {
            throw new ProvisioningFailedException("S3 bucket " + bucket + " holds objects: delete them (or copy them"
                    + " elsewhere) and delete the instance again; this plan does not delete objects");
        }
        deleteUsers(plan, request.instanceId());
        S3Objects.delete(s3, bucket, "", objects);
        try {
            AwsCalls.call("deleting S3 bucket " + bucket, () -> s3.deleteBucket(b -> b.bucket(bucket)));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof NoSuchBucketException)) {
                throw e;
            }
        }
        return StepOutcome.Completed.with(Map.of());
    }

    /** Deletes every object of the instance's bucket, a thousand at a time. */
    void deleteObjects(InstanceRequest request) {
        S3Client s3 = s3(request);
        String bucket = bucket(request.instanceId());
        S3Objects.delete(s3, bucket, "", S3Objects.page(s3, bucket, ""));
    }

    private void deleteUsers(BucketPlan plan, String instanceId) {
        String names = BucketNames.usersOf(prefix, instanceId);
        List<String> users = AwsCalls.call(
                "listing IAM users",
                () -> iam(plan).listUsersPaginator(b -> b.pathPrefix(BucketNames.userPath(prefix))).users().stream()
                        .map(User::userName)
                        .filter(name -> name.startsWith(names))
                        .toList());
        users.forEach(user -> deleteUser(plan, user));
    }

    // --- bind and unbind

    /** Makes the binding's user with its policy; its key comes in {@link #pollBind}. */
    @Override
    public BindOutcome startBind(BindRequest request) {
        InstanceRequest instance = request.instance();
        BucketPlan plan = plan(instance.plan());
        String user = userOf(request);
        try {
            AwsCalls.call(
                    "creating IAM user " + user,
                    () -> iam(plan)
                            .createUser(b -> b.userName(user)
                                    .path(BucketNames.userPath(prefix))
                                    .tags(ResourceTags.of(instance, prefix).entrySet().stream()
                                            .map(tag -> software.amazon.awssdk.services.iam.model.Tag.builder()
                                                    .key(tag.getKey())
                                                    .value(tag.getValue())
                                                    .build())
                                            .toList())));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof EntityAlreadyExistsException)) {
                throw e;
            }
        }
        AwsCalls.call(
                "setting the policy of IAM user " + user,
                () -> iam(plan)
                        .putUserPolicy(b -> b.userName(user)
                                .policyName(BucketNames.POLICY)
                                .policyDocument(BindingPolicy.of(bucket(instance.instanceId()), request.readOnly()))));
        return pollBind(request, KEY_STEP);
    }

    /**
     * Makes the user's key (deleting keys an earlier run made, whose secrets are lost) and hands it out once S3 takes
     * it; a key S3 has not taken within {@link #KEY_WAIT} is deleted, and the next poll tries again.
     */
    @Override
    public BindOutcome pollBind(BindRequest request, String reference) {
        InstanceRequest instance = request.instance();
        BucketPlan plan = plan(instance.plan());
        String user = userOf(request);
        deleteKeys(plan, user);
        AccessKey key;
        try {
            key = AwsCalls.call(
                            "making an access key of IAM user " + user,
                            () -> iam(plan).createAccessKey(b -> b.userName(user)))
                    .accessKey();
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof LimitExceededException)) {
                throw e;
            }
            // the SDK's retries of a call whose answers were lost made the user's two keys: gone, and the next poll
            // makes one
            deleteKeys(plan, user);
            return new StepOutcome.InProgress(KEY_STEP, "IAM made keys of user " + user + " whose secrets were lost");
        }
        String bucket = bucket(instance.instanceId());
        if (!takesKey(plan, bucket, key)) {
            deleteKeys(plan, user);
            return new StepOutcome.InProgress(KEY_STEP, "IAM is spreading the access key of user " + user);
        }
        URI endpoint = clients.s3Endpoint(plan.account(), region(plan));
        return new BindOutcome.Bound(new S3Credentials(
                        endpoint,
                        region(plan),
                        bucket,
                        key.accessKeyId(),
                        key.secretAccessKey(),
                        !endpoint.getHost().endsWith("amazonaws.com"),
                        endpoint.getScheme().equals("https") ? ServerTls.verifiedBy(null) : ServerTls.OFF,
                        request.readOnly())
                .toCredentials());
    }

    /** Whether S3 takes the key yet: a listing of the bucket with it, tried until {@link #KEY_WAIT} passes. */
    private boolean takesKey(BucketPlan plan, String bucket, AccessKey key) {
        long deadline = System.nanoTime() + KEY_WAIT.toNanos();
        try (S3Client asBinding = clients.s3With(
                plan.account(), region(plan), AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            while (true) {
                try {
                    asBinding.listObjectsV2(b -> b.bucket(bucket).maxKeys(1));
                    return true;
                } catch (S3Exception e) {
                    if (e.statusCode() != 403 || System.nanoTime() > deadline) {
                        return false;
                    }
                } catch (SdkClientException e) {
                    // the next run of the step deletes this key and makes another
                    throw new BackingServiceUnavailableException(
                            "S3 did not answer a check of the new key of bucket " + bucket + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Deletes the binding's keys, policy and user: the key stops working at once. */
    @Override
    public StepOutcome startUnbind(BindRequest request) {
        deleteUser(plan(request.instance().plan()), userOf(request));
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public StepOutcome pollUnbind(BindRequest request, String reference) {
        return startUnbind(request);
    }

    /** Never called: the broker binds through {@link #startBind}, as IAM's keys take a while to work. */
    @Override
    public Credentials bind(BindRequest request) {
        throw new UnsupportedOperationException("IAM keys are made asynchronously: see startBind");
    }

    /** Never called: the broker unbinds through {@link #startUnbind}. */
    @Override
    public void unbind(BindRequest request) {
        throw new UnsupportedOperationException("IAM users are deleted through startUnbind");
    }

    /** The user's keys, its policy and the user; what is gone already is no error. */
    private void deleteUser(BucketPlan plan, String user) {
        try {
            deleteKeys(plan, user);
            ignoringMissing(
                    "deleting the policy of IAM user " + user,
                    () -> iam(plan).deleteUserPolicy(b -> b.userName(user).policyName(BucketNames.POLICY)));
            ignoringMissing("deleting IAM user " + user, () -> iam(plan).deleteUser(b -> b.userName(user)));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof NoSuchEntityException)) {
                throw e;
            }
        }
    }

    private void deleteKeys(BucketPlan plan, String user) {
        AwsCalls.call(
                        "listing the access keys of IAM user " + user,
                        () -> iam(plan).listAccessKeys(b -> b.userName(user)))
                .accessKeyMetadata()
                .forEach(key -> ignoringMissing(
                        "deleting an access key of IAM user " + user,
                        () -> iam(plan).deleteAccessKey(b -> b.userName(user).accessKeyId(key.accessKeyId()))));
    }

    private static void ignoringMissing(String doing, Runnable call) {
        AwsCalls.ignoring(NoSuchEntityException.class, doing, call);
    }

    private String userOf(BindRequest request) {
        return BucketNames.user(prefix, request.instance().instanceId(), request.bindingId());
    }

    /** Whether S3 and IAM answer in each configured account. */
    @Override
    public Health health() {
        return AwsHealth.of(
                "s3",
                clients,
                account -> AwsCalls.call(
                        "asking S3 for buckets",
                        () -> clients.s3(account.name(), account.region()).listBuckets(b -> b.maxBuckets(1))));
    }

    private S3Client s3(BucketPlan plan) {
        return clients.s3(plan.account(), region(plan));
    }

    /** The S3 of the instance's plan. */
    S3Client s3(InstanceRequest instance) {
        return s3(plan(instance.plan()));
    }

    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(new BucketBackups(this));
    }

    private IamClient iam(BucketPlan plan) {
        return clients.iam(plan.account());
    }

    private String region(BucketPlan plan) {
        return clients.account(plan.account()).region(plan.region());
    }

    static BucketPlan plan(Plan plan) {
        return PlanProperties.read(plan, BucketPlan.class);
    }
}
