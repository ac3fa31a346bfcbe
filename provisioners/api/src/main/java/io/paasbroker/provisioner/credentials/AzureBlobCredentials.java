package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;
import java.net.URI;
import java.time.Instant;

/**
 * An Azure Blob Storage binding's credentials: a SAS token that reaches the instance's container only, in the names
 * the Azure SDKs and tools take. Blob Storage speaks no S3, so an object-storage binding on Azure has this shape
 * rather than {@link S3Credentials}'. An application builds its client from {@code uri} (the container's SAS URL:
 * {@code new BlobContainerClientBuilder().endpoint(uri)}), from {@code connection_string} and {@code container}, or
 * from {@code endpoint}, {@code container} and {@code sas_token}.
 *
 * @param endpoint the storage account's Blob service endpoint ({@code https://<account>.blob.core.windows.net})
 * @param accountName the storage account
 * @param container the instance's container
 * @param sasToken the binding's SAS, without a leading {@code ?}
 * @param expiresAt when the SAS stops working, unless the binding is unbound before
 * @param tls how to verify the endpoint
 * @param readOnly whether the SAS may only list and read
 */
public record AzureBlobCredentials(
        URI endpoint,
        String accountName,
        String container,
        String sasToken,
        Instant expiresAt,
        ServerTls tls,
        boolean readOnly) {

    public Credentials toCredentials() {
        String base = endpoint.toString().replaceAll("/+$", "");
        String containerUrl = base + "/" + container;
        return new CredentialValues("azure-blob")
                .put("storage_account_name", accountName)
                .put("container", container)
                .put("endpoint", base)
                .put("container_url", containerUrl)
                .put("sas_token", sasToken)
                .put("uri", containerUrl + "?" + sasToken)
                .put("connection_string", "BlobEndpoint=" + base + ";SharedAccessSignature=" + sasToken)
                .put("expires_at", expiresAt.toString())
                .put("read_only", readOnly)
                .ca(tls)
                .build();
    }

    @Override
    public String toString() {
        return "AzureBlobCredentials[" + endpoint + "/" + container + ", " + tls + "]";
    }
}
