package io.paasbroker.provisioner.local.boot;

import io.paasbroker.provisioner.host.DataDirectory;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import io.paasbroker.provisioner.host.ReplicaLock;
import io.paasbroker.provisioner.host.SecretStore;
import io.paasbroker.provisioner.local.common.LocalProvisioner;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The local provisioner plugged into the broker: its provisioners over the servers of {@code paasbroker.local.*} and
 * those another module contributes, the S3 server it runs, and admin password rotation of the configured servers.
 * It uses what the broker offers every provisioner module: its secret store, replica lock, clock and data directory.
 */
@AutoConfiguration
@EnableConfigurationProperties(LocalProperties.class)
public class LocalProvisionerAutoConfiguration {

    @Bean
    ServerAdminPasswords serverAdminPasswords(SecretStore secrets) {
        return new ServerAdminPasswords(secrets);
    }

    @Bean(destroyMethod = "close")
    LocalProvisioners localProvisioners(
            LocalProperties properties,
            ObjectProvider<ContributedServers> contributed,
            ServerAdminPasswords passwords) {
        return new LocalProvisioners(properties, contributed.orderedStream().toList(), passwords);
    }

    /** Settles, before any operation runs, a rotation a crash left unfinished. */
    @Bean
    AdminPasswordRotator adminPasswordRotator(
            LocalProvisioners local, ServerAdminPasswords passwords, Clock clock, ReplicaLock replicas) {
        AdminPasswordRotator rotator = new AdminPasswordRotator(local, passwords, clock, replicas);
        rotator.settleAll();
        return rotator;
    }

    /** The provisioners the broker gets: only once the rotator has settled what a crash left. */
    @Bean
    ProvisionerPlugin localProvisionerPlugin(LocalProvisioners local, AdminPasswordRotator settled) {
        return ProvisionerPlugin.of(LocalProvisioner.NAME, local.provisioners());
    }

    @Bean
    AdminPasswordFollower adminPasswordFollower(AdminPasswordRotator rotator) {
        return new AdminPasswordFollower(rotator);
    }

    @Bean
    AdminPasswordController adminPasswordController(AdminPasswordRotator rotator) {
        return new AdminPasswordController(rotator);
    }

    /** The S3 server for local S3 plans: its keys are in the state and secret stores, so it needs both. */
    @Bean(destroyMethod = "close")
    @DependsOn("flywayInitializer")
    LocalS3 localS3(
            LocalProperties properties,
            Environment environment,
            DataDirectory data,
            JdbcClient jdbc,
            SecretStore secrets,
            ObjectProvider<ContributedServers> contributed) {
        boolean embedded = environment.getProperty("paasbroker.embedded.enabled", Boolean.class, false);
        return LocalS3.start(
                properties.s3(),
                embedded,
                data,
                new StateStoreS3Keys(jdbc, secrets),
                contributed
                        .orderedStream()
                        .flatMap(servers -> servers.certificate().stream())
                        .findFirst());
    }
}
