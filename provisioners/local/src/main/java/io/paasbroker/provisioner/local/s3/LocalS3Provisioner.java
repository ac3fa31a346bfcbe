package io.paasbroker.provisioner.local.s3;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.DeprovisionRefusedException;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.S3Credentials;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * S3 on the server the broker runs itself ({@link LocalS3Server}): an instance is a bucket in a storage namespace of
 * its own, and each binding an access key pair that reaches that bucket only (read-only on request). Keys live in the
 * {@link S3KeyDirectory}, so unbinding revokes a key for every request that follows.
 */
public final class LocalS3Provisioner extends LocalProvisioner {

    private final LocalS3Server server;
    private final S3Namespaces namespaces;
    private final S3KeyDirectory keys;
    private final S3Backups backups;

    public LocalS3Provisioner(LocalS3Server server, S3Namespaces namespaces, S3KeyDirectory keys) {
        super(ServiceKind.S3);
        this.server = server;
        this.namespaces = namespaces;
        this.keys = keys;
        this.backups = new S3Backups(namespaces);
    }

    @Override
    public void checkPlan(Plan plan) {
        PlanProperties.read(plan, LocalS3Plan.class);
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        String bucket = S3Names.bucket(request.instanceId());
        BlobStore store = namespaces.store(S3Names.namespace(request.instanceId()));
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        return StepOutcome.Completed.with(Map.of("bucket_name", bucket));
    }

    /** Plans differ only in what deprovisioning does, which is read when it happens. */
    @Override
    public StepOutcome update(UpdateRequest request) {
        return provision(request.instance());
    }

    /** A bucket that still holds objects on a plan that does not delete data: its owner can empty it. */
    @Override
    public void checkDeprovision(InstanceRequest request) {
        String namespace = S3Names.namespace(request.instanceId());
        String bucket = S3Names.bucket(request.instanceId());
        if (namespaces.exists(namespace)) {
            BlobStore store = namespaces.store(namespace);
            if (store.containerExists(bucket)
                    && !isEmpty(store, bucket)
                    && !PlanProperties.read(request.plan(), LocalS3Plan.class).deletesObjects()) {
                throw new DeprovisionRefusedException("bucket " + bucket + " still holds objects, and this plan does"
                        + " not delete data: empty the bucket first (or the operator deletes it)");
            }
        }
    }

    /**
     * Refuses to delete objects unless the plan says so: the check comes first, so a refused deprovision leaves the
     * instance and its bindings working.
     */
    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        checkDeprovision(request);
        String namespace = S3Names.namespace(request.instanceId());
        keys.revokeNamespace(namespace);
        namespaces.delete(namespace);
        return StepOutcome.Completed.with(Map.of());
    }

    /** A repeated bind replaces the binding's key with a new pair; the old one stops working. */
    @Override
    public Credentials bind(BindRequest request) {
        String instanceId = request.instance().instanceId();
        String bucket = S3Names.bucket(instanceId);
        S3AccessKey key = new S3AccessKey(
                request.bindingId(),
                S3Names.accessKeyId(),
                S3Names.secretAccessKey(),
                S3Names.namespace(instanceId),
                bucket,
                request.readOnly());
        keys.register(key);
        return new S3Credentials(
                        URI.create(server.endpoint()),
                        LocalS3Server.REGION,
                        bucket,
                        key.accessKeyId(),
                        key.secretAccessKey(),
                        true,
                        server.tls(),
                        request.readOnly())
                .toCredentials();
    }

    @Override
    public void unbind(BindRequest request) {
        keys.revoke(request.bindingId());
    }

    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(backups);
    }

    @Override
    public Health health() {
        return new Health(Map.of(), Map.of("local-s3", "S3 API on " + server.endpoint()));
    }

    private static boolean isEmpty(BlobStore store, String bucket) {
        return BucketObjects.keys(store, bucket).findAny().isEmpty();
    }
}
