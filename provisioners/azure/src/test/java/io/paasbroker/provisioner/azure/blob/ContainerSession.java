package io.paasbroker.provisioner.azure.blob;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisionerContract.TenantSession;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.time.Duration;

/**
 * An application with the Azure SDK's container client made from its binding's credentials alone, reading and writing
 * a blob {@code marker} in the binding's container.
 */
record ContainerSession(Credentials credentials, BlobContainerClient container) implements TenantSession {

    /** One try per call: a refusal is what the tests look for, not something to retry. */
    static final RequestRetryOptions ONE_TRY =
            new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Duration) null, null, null, null);

    ContainerSession(Credentials credentials) {
        this(credentials, client(credentials));
    }

    /** The container as the application reaches it: its SAS URL, the CA the credentials carry. */
    static BlobContainerClient client(Credentials credentials) {
        return new BlobContainerClientBuilder()
                .endpoint(text(credentials, "uri"))
                .httpClient(http(credentials))
                .retryOptions(ONE_TRY)
                .buildClient();
    }

    static HttpClient http(Credentials credentials) {
        ServerTls tls = ServerTls.verifiedBy((String) credentials.values().get("ca_certificate"));
        return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls.sslContext())).build();
    }

    static String text(Credentials credentials, String key) {
        return String.valueOf(credentials.values().get(key));
    }

    @Override
    public void writeMarker(String marker) {
        container.getBlobClient("marker").upload(BinaryData.fromString(marker), true);
    }

    @Override
    public String readMarker() {
        return read(container);
    }

    /** With this binding's SAS, from the other binding's container. */
    @Override
    public String readMarkerOf(Credentials other) {
        return read(new BlobContainerClientBuilder()
                .endpoint(text(other, "container_url"))
                .sasToken(text(credentials, "sas_token"))
                .httpClient(http(credentials))
                .retryOptions(ONE_TRY)
                .buildClient());
    }

    private static String read(BlobContainerClient from) {
        try {
            return from.getBlobClient("marker").downloadContent().toString();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {}
}
