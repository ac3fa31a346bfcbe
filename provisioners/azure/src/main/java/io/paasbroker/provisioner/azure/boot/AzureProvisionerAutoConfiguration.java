package io.paasbroker.provisioner.azure.boot;

import com.azure.core.util.Configuration;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.azure.AzureClients;
import io.paasbroker.provisioner.azure.blob.BlobContainerProvisioner;
import io.paasbroker.provisioner.azure.flexible.FlexibleServerProvisioner;
import io.paasbroker.provisioner.azure.redis.ManagedRedisProvisioner;
import io.paasbroker.provisioner.host.MasterPasswords;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import io.paasbroker.provisioner.host.SecretStore;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The azure provisioner plugged into the broker: Azure Database for PostgreSQL and for MySQL flexible server plans
 * naming {@code azure}, Redis plans with an Azure Managed Redis cache each, and object-storage plans with a Blob
 * Storage container each. The broker's identity is the Azure
 * SDK's default credential chain, read when a call first needs a token; the servers' administrator passwords go to
 * the broker's credential store.
 */
@AutoConfiguration
@EnableConfigurationProperties(AzureProperties.class)
public class AzureProvisionerAutoConfiguration {

    /** Why no azure plan serves OpenSearch (ADR 21). */
    static final String OPENSEARCH_REFUSAL = "Azure offers no managed OpenSearch or Elasticsearch service of its"
            + " own (Elastic Cloud on Azure is Elastic's); serve OpenSearch plans with the local or aws provisioner";

    @Bean
    AzureClients azureClients(AzureProperties properties) {
        return new AzureClients(properties.cloud(), Configuration.getGlobalConfiguration());
    }

    @Bean
    ProvisionerPlugin azureProvisionerPlugin(AzureProperties properties, AzureClients clients, SecretStore secrets) {
        MasterPasswords admins = new MasterPasswords(secrets);
        return ProvisionerPlugin.of(
                FlexibleServerProvisioner.NAME,
                List.of(
                        FlexibleServerProvisioner.postgres(clients, admins, properties.namePrefix()),
                        FlexibleServerProvisioner.mysql(clients, admins, properties.namePrefix()),
                        new BlobContainerProvisioner(
                                clients, properties.namePrefix(), properties.accessPolicyPropagation()),
                        new ManagedRedisProvisioner(clients, properties.namePrefix())),
                Map.of(ServiceKind.OPENSEARCH, OPENSEARCH_REFUSAL));
    }
}
