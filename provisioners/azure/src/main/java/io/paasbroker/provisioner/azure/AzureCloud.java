package io.paasbroker.provisioner.azure;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URI;
import java.time.Duration;

/**
 * Where the broker finds Azure and how it trusts it.
 *
 * @param resourceManager Azure Resource Manager's endpoint: {@code https://management.azure.com} in Azure's public
 *     cloud; a sovereign cloud's otherwise
 * @param tenantId the Entra tenant of the broker's identity; null: the credential chain's ({@code AZURE_TENANT_ID})
 * @param apiTls how the broker verifies Azure Resource Manager and Entra ID: the system's CAs, or one CA of its own
 * @param databaseTls how the broker verifies the servers it makes (their CA: public in Azure)
 * @param timeout the longest one request to Azure may take, connection included
 */
public record AzureCloud(
        URI resourceManager, String tenantId, ServerTls apiTls, ServerTls databaseTls, Duration timeout) {

    public AzureCloud {
        if (!resourceManager.getScheme().equals("https")) {
            // Entra ID's tokens are sent over TLS only
            throw new IllegalArgumentException("Azure Resource Manager's endpoint is https: " + resourceManager);
        }
    }

    /** The scope of the broker's tokens: Azure Resource Manager's. */
    String scope() {
        String base = resourceManager.toString();
        return (base.endsWith("/") ? base : base + "/") + ".default";
    }
}
