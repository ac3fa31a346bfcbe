package io.paasbroker.it.isolation;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.PublicAccessType;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.it.BindingTls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blob Storage through the Azure SDK's container client, made as an application makes it from its binding's
 * credentials alone (the container's URL and the binding's SAS), against the Azure test bed's Azurite, which checks
 * every SAS as Azure does. Binds and unbinds wait for Azure to apply the binding's stored access policy, so they are
 * asynchronous. One attack is left out as Azurite does not refuse it and Azure does: a copy into the intruder's
 * container from the victim's blob URL with no authorization of the source (Azure answers 403
 * {@code CannotVerifyCopySource}; Azurite copies within its account unchecked).
 */
public record BlobProbe(String service, String plan) implements TenantProbe {

    private static final String BLOB = "probe";
    /** One try per call: a refusal is what the matrix looks for. */
    private static final RequestRetryOptions ONE_TRY =
            new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Duration) null, null, null, null);

    @Override
    public String toString() {
        return "blob on azure";
    }

    @Override
    public boolean asynchronous() {
        return true;
    }

    @Override
    public void write(JsonNode credentials, String value) {
        container(credentials).getBlobClient(BLOB).upload(BinaryData.fromString(value), true);
    }

    @Override
    public String read(JsonNode credentials) {
        return container(credentials).getBlobClient(BLOB).downloadContent().toString();
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        try {
            container(credentials).listBlobs().iterator().hasNext();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        BlobContainerClient victims = container(victim.get("container_url").asText(), intruder);
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put(
                "list the victim's blobs", () -> victims.listBlobs().iterator().hasNext());
        attacks.put("read the victim's blob", () -> victims.getBlobClient(BLOB).downloadContent());
        attacks.put(
                "read the victim's blob's properties",
                () -> victims.getBlobClient(BLOB).getProperties());
        attacks.put(
                "write the victim's blob", () -> victims.getBlobClient(BLOB).upload(BinaryData.fromString("x"), true));
        attacks.put(
                "delete the victim's blob", () -> victims.getBlobClient(BLOB).delete());
        attacks.put("read the victim's container's access policies", victims::getAccessPolicy);
        attacks.put(
                "make the victim's container public",
                () -> victims.setAccessPolicy(PublicAccessType.CONTAINER, List.of()));
        attacks.put("delete the victim's container", victims::delete);
        attacks.put(
                "list the storage account's containers",
                () -> new BlobServiceClientBuilder()
                        .endpoint(intruder.get("endpoint").asText())
                        .sasToken(intruder.get("sas_token").asText())
                        .httpClient(http(intruder))
                        .retryOptions(ONE_TRY)
                        .buildClient()
                        .listBlobContainers()
                        .iterator()
                        .hasNext());
        attacks.put(
                "create a container of its own choosing",
                () -> container(intruder.get("endpoint").asText() + "/pb-intruder", intruder)
                        .create());
        attacks.put(
                "name the victim's stored access policy in its own SAS",
                () -> container(
                                victim.get("container_url").asText(),
                                intruder.get("sas_token").asText().replaceAll("si=[^&]+", "si=" + policy(victim)),
                                intruder)
                        .listBlobs()
                        .iterator()
                        .hasNext());
        return attacks;
    }

    private static String policy(JsonNode credentials) {
        return credentials.get("sas_token").asText().replaceAll(".*si=([^&]+).*", "$1");
    }

    private static BlobContainerClient container(JsonNode credentials) {
        return container(credentials.get("container_url").asText(), credentials);
    }

    private static BlobContainerClient container(String url, JsonNode credentials) {
        return container(url, credentials.get("sas_token").asText(), credentials);
    }

    /** The container at {@code url}, with {@code sas}, trusting the CA {@code credentials} carry. */
    private static BlobContainerClient container(String url, String sas, JsonNode credentials) {
        return new BlobContainerClientBuilder()
                .endpoint(url)
                .sasToken(sas)
                .httpClient(http(credentials))
                .retryOptions(ONE_TRY)
                .buildClient();
    }

    private static HttpClient http(JsonNode credentials) {
        return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                        .sslContext(BindingTls.of(credentials).sslContext()))
                .build();
    }
}
