package io.paasbroker.provisioner.aws.boot;

import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.elasticache.ElastiCacheRedisProvisioner;
import io.paasbroker.provisioner.aws.opensearch.OpenSearchDomainProvisioner;
import io.paasbroker.provisioner.aws.rds.RdsProvisioner;
import io.paasbroker.provisioner.aws.s3.S3BucketProvisioner;
import io.paasbroker.provisioner.host.MasterPasswords;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import io.paasbroker.provisioner.host.SecretStore;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The aws provisioner plugged into the broker: RDS for PostgreSQL, MySQL and MariaDB, ElastiCache for Redis, S3 and
 * OpenSearch Service plans naming {@code aws}, in the accounts of
 * {@code paasbroker.aws.accounts.*} (with none, a plan naming {@code aws} stops the broker at start-up, saying so).
 * The broker's own credentials are the SDK's default chain, read when a call first needs them; the master passwords
 * (and the secrets binding passwords are derived from) go to the broker's credential store.
 */
@AutoConfiguration
@EnableConfigurationProperties(AwsProperties.class)
public class AwsProvisionerAutoConfiguration {

    @Bean(destroyMethod = "close")
    AwsClients awsClients(AwsProperties properties) {
        return new AwsClients(
                properties.awsAccounts(), DefaultCredentialsProvider.builder().build());
    }

    @Bean
    ProvisionerPlugin awsProvisionerPlugin(AwsProperties properties, AwsClients clients, SecretStore secrets) {
        MasterPasswords masters = new MasterPasswords(secrets);
        return ProvisionerPlugin.of(
                RdsProvisioner.NAME,
                List.of(
                        RdsProvisioner.postgres(clients, masters, properties.namePrefix()),
                        RdsProvisioner.mysql(clients, masters, properties.namePrefix()),
                        new ElastiCacheRedisProvisioner(clients, masters, properties.namePrefix()),
                        new S3BucketProvisioner(clients, properties.namePrefix()),
                        new OpenSearchDomainProvisioner(clients, masters, properties.namePrefix())));
    }
}
