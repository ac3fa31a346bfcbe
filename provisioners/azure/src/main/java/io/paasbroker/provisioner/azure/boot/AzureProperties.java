package io.paasbroker.provisioner.azure.boot;

import io.paasbroker.provisioner.azure.AzureCloud;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The azure provisioner's section, {@code paasbroker.azure.*}: which Azure cloud, and how the broker trusts it. The
 * broker's own identity comes from the Azure SDK's default credential chain (managed identity, workload identity, a
 * service principal's {@code AZURE_*} environment, {@code AZURE_AUTHORITY_HOST} for a sovereign cloud's Entra ID),
 * never from here; subscriptions and resource groups are the plans'.
 *
 * @param namePrefix what the name of every resource the broker makes starts with, and its {@code paasbroker:broker}
 *     tag: a letter, then lowercase letters, digits and hyphens, at most 20
 * @param resourceManager Azure Resource Manager's endpoint; Azure's public cloud's by default
 * @param tenantId the Entra tenant of the broker's identity; none: {@code AZURE_TENANT_ID}
 * @param caCertificate the PEM of the one CA the broker trusts for Azure Resource Manager and Entra ID (a private
 *     cloud's); none: the system's CAs
 * @param databaseCaCertificate the PEM of the CA the servers' certificates chain to; none: the system's CAs (Azure's
 *     are public)
 * @param timeout the longest one request to Azure may take
 * @param accessPolicyPropagation how long Azure takes to apply a change of a container's stored access policies
 *     everywhere: a Blob bind or unbind ends no sooner (30 s, as Azure documents it)
 */
@ConfigurationProperties("paasbroker.azure")
public record AzureProperties(
        @DefaultValue("pb") String namePrefix,
        @DefaultValue("https://management.azure.com") URI resourceManager,
        String tenantId,
        String caCertificate,
        String databaseCaCertificate,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("30s") Duration accessPolicyPropagation) {

    public AzureProperties {
        if (!namePrefix.matches("[a-z][a-z0-9-]{0,19}") || namePrefix.endsWith("-")) {
            throw new IllegalArgumentException("paasbroker.azure.name-prefix must be a lowercase letter, then lowercase"
                    + " letters, digits and hyphens (not last), at most 20: '" + namePrefix + "' is not");
        }
    }

    public AzureCloud cloud() {
        return new AzureCloud(
                resourceManager,
                tenantId,
                ServerTls.verifiedBy(caCertificate),
                ServerTls.verifiedBy(databaseCaCertificate),
                timeout);
    }
}
