package io.paasbroker.broker.config;

import io.paasbroker.broker.backup.BackupKeys;
import io.paasbroker.broker.backup.BackupRepository;
import io.paasbroker.broker.backup.BackupScheduler;
import io.paasbroker.broker.backup.BackupStore;
import io.paasbroker.broker.backup.Backups;
import io.paasbroker.broker.backup.NoBackupStore;
import io.paasbroker.broker.backup.S3BackupStore;
import io.paasbroker.broker.backup.ScheduledBackups;
import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.broker.state.StateStoreClock;
import io.paasbroker.provisioner.host.BackupBucket;
import io.paasbroker.provisioner.host.BackupBucketOffer;
import io.paasbroker.provisioner.host.DataDirectory;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Backups: where they are stored (a configured bucket, else one a provisioner module offers, such as the local S3
 * server's) and their key.
 */
@Configuration(proxyBeanMethods = false)
public class BackupConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BackupConfiguration.class);

    @Bean
    BackupStore backupStore(BrokerProperties properties, ObjectProvider<BackupBucketOffer> offers) {
        BrokerProperties.Backups.Store store = properties.backups().store();
        BackupStore chosen = store.bucket() != null
                ? new S3BackupStore(new BackupBucket(
                        store.endpoint(),
                        store.region(),
                        store.bucket(),
                        store.accessKeyId(),
                        store.secretAccessKey(),
                        store.pathStyle(),
                        store.tls()))
                : offers.orderedStream()
                        .flatMap(offer -> offer.backupBucket().stream())
                        .findFirst()
                        .<BackupStore>map(S3BackupStore::new)
                        .orElseGet(NoBackupStore::new);
        log.info("Backups go to {}", chosen.describe());
        return chosen;
    }

    @Bean
    BackupRepository backupRepository(JdbcClient jdbc) {
        return new BackupRepository(jdbc);
    }

    @Bean
    ScheduledBackups scheduledBackups(
            Backups backups,
            BackupRepository repository,
            InstanceRepository instances,
            PublishedCatalog catalog,
            AdvisoryLock locks,
            StateStoreClock clock,
            CredentialStore credentials) {
        return new ScheduledBackups(backups, repository, instances, catalog, locks, clock, credentials);
    }

    @Bean
    BackupScheduler backupScheduler(ScheduledBackups scheduled) {
        return new BackupScheduler(scheduled);
    }

    @Bean
    @DependsOn("flywayInitializer")
    Backups backups(
            BrokerProperties properties,
            BackupStore store,
            BackupRepository repository,
            CredentialStore credentials,
            AdvisoryLock locks,
            DataDirectory data,
            StateStoreClock clock,
            PublishedCatalog catalog) {
        Path work = properties.backups().workDirectory() == null
                ? data.resolve("backup-work")
                : properties.backups().workDirectory();
        return new Backups(
                repository,
                store,
                () -> BackupKeys.cipher(credentials, locks),
                work,
                clock,
                locks,
                backup -> catalog.service(backup.serviceId())
                        .flatMap(service -> catalog.plan(service.id(), backup.planId())
                                .flatMap(plan ->
                                        catalog.provisioner(service, plan).snapshots())),
                properties.backups().snapshotPollInterval());
    }
}
