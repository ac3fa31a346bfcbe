package io.paasbroker.provisioner.local.boot;

import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.host.BackupBucket;
import io.paasbroker.provisioner.host.BackupBucketOffer;
import io.paasbroker.provisioner.host.DataDirectory;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import io.paasbroker.provisioner.local.common.ServedCertificate;
import io.paasbroker.provisioner.local.s3.LocalS3Provisioner;
import io.paasbroker.provisioner.local.s3.LocalS3Server;
import io.paasbroker.provisioner.local.s3.S3AccessKey;
import io.paasbroker.provisioner.local.s3.S3KeyDirectory;
import io.paasbroker.provisioner.local.s3.S3Namespaces;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 server the broker runs for its local S3 plans, when the settings ask for one, and the provisioner that uses
 * it. Without it no local S3 plan is published.
 */
public final class LocalS3 implements ProvisionerPlugin, BackupBucketOffer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalS3.class);

    /** The bucket of this server that holds backups when the operator configured none. */
    static final String BACKUP_BUCKET = "paasbroker-backups";

    private final Optional<Running> running;

    private record Running(S3Namespaces namespaces, LocalS3Server server, LocalS3Provisioner provisioner) {}

    private LocalS3(Optional<Running> running) {
        this.running = running;
    }

    /**
     * {@code contributed}: a certificate another module offers (the embedded default's), served when the settings
     * name none.
     */
    public static LocalS3 start(
            LocalProperties.S3 settings,
            boolean embedded,
            DataDirectory data,
            S3KeyDirectory keys,
            Optional<ServedCertificate> contributed) {
        if (!settings.enabledWith(embedded)) {
            return new LocalS3(Optional.empty());
        }
        Path storage = settings.storage() == null ? data.resolve("s3") : settings.storage();
        int port = settings.port() == null ? data.keptPort("s3") : settings.port();
        S3Namespaces namespaces = new S3Namespaces(storage);
        LocalS3Server server = LocalS3Server.start(
                settings.host(),
                port,
                settings.publicHostOrHost(),
                namespaces,
                keys,
                settings.certificate().or(() -> contributed));
        log.info("S3 server for local S3 plans on {}, objects under {}", server.endpoint(), namespaces.root());
        return new LocalS3(
                Optional.of(new Running(namespaces, server, new LocalS3Provisioner(server, namespaces, keys))));
    }

    @Override
    public String name() {
        return LocalProvisioner.NAME;
    }

    @Override
    public List<ServiceProvisioner> provisioners() {
        return running.map(r -> List.<ServiceProvisioner>of(r.provisioner())).orElse(List.of());
    }

    /** A bucket of this server, reached with a key of the broker's own: where backups go when no bucket is configured. */
    @Override
    public Optional<BackupBucket> backupBucket() {
        return running.map(r -> {
            S3AccessKey key = r.server().ownKey(BACKUP_BUCKET);
            return new BackupBucket(
                    URI.create(r.server().endpoint()),
                    LocalS3Server.REGION,
                    BACKUP_BUCKET,
                    key.accessKeyId(),
                    key.secretAccessKey(),
                    true,
                    r.server().tls());
        });
    }

    @Override
    public void close() {
        running.ifPresent(r -> {
            r.server().close();
            r.namespaces().close();
        });
    }
}
