package io.paasbroker.broker.s3;

import io.paasbroker.broker.backup.S3BackupStore;
import io.paasbroker.broker.embedded.DataDirectory;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.local.s3.LocalS3Provisioner;
import io.paasbroker.provisioner.local.s3.LocalS3Server;
import io.paasbroker.provisioner.local.s3.S3AccessKey;
import io.paasbroker.provisioner.local.s3.S3KeyDirectory;
import io.paasbroker.provisioner.local.s3.S3Namespaces;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 server the broker runs for its local S3 plans, when the settings ask for one, and the provisioner that uses
 * it. Without it no local S3 plan is published.
 */
public final class LocalS3 implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalS3.class);

    private final Optional<Running> running;

    private record Running(S3Namespaces namespaces, LocalS3Server server, LocalS3Provisioner provisioner) {}

    private LocalS3(Optional<Running> running) {
        this.running = running;
    }

    public static LocalS3 start(
            BrokerProperties.S3 settings, BrokerProperties.Embedded embedded, DataDirectory data, S3KeyDirectory keys) {
        if (!settings.enabledWith(embedded)) {
            return new LocalS3(Optional.empty());
        }
        Path storage = settings.storage() == null ? data.resolve("s3") : settings.storage();
        int port = settings.port() == null ? data.keptPort("s3") : settings.port();
        S3Namespaces namespaces = new S3Namespaces(storage);
        LocalS3Server server =
                LocalS3Server.start(settings.host(), port, settings.publicHostOrHost(), namespaces, keys);
        log.info("S3 server for local S3 plans on {}, objects under {}", server.endpoint(), namespaces.root());
        return new LocalS3(
                Optional.of(new Running(namespaces, server, new LocalS3Provisioner(server, namespaces, keys))));
    }

    public Optional<ServiceProvisioner> provisioner() {
        return running.map(Running::provisioner);
    }

    /** A store in a bucket of this server, reached with a key of the broker's own: where local backups go. */
    public Optional<S3BackupStore> store(String bucket) {
        return running.map(r -> {
            S3AccessKey key = r.server().ownKey(bucket);
            return new S3BackupStore(
                    URI.create(r.server().endpoint()),
                    LocalS3Server.REGION,
                    bucket,
                    key.accessKeyId(),
                    key.secretAccessKey(),
                    true);
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
