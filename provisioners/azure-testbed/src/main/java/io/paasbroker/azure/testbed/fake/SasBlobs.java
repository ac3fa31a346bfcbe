package io.paasbroker.azure.testbed.fake;

import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Blob Storage's data plane as a service holding only a SAS reaches it (Azure Managed Redis exporting and importing):
 * blobs put into a container and read through SAS URLs, over HTTPS trusting the test bed's CA. What the SAS does not
 * permit, the storage service (Azurite) refuses, and the operation fails with that.
 */
final class SasBlobs {

    /** The Blob service version of these requests. */
    private static final String VERSION = "2021-12-02";

    private final HttpClient http;

    SasBlobs(TestBedCertificates certificates) {
        this.http = HttpClient.newBuilder()
                .sslContext(certificates.clientSslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Puts {@code content} as block blob {@code blob} into the container of {@code containerSas}. */
    void put(URI containerSas, String blob, byte[] content) {
        URI target = URI.create(containerSas.getScheme() + "://" + containerSas.getRawAuthority()
                + containerSas.getRawPath().replaceAll("/+$", "") + "/" + blob + "?" + containerSas.getRawQuery());
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(60))
                .header("x-ms-version", VERSION)
                .header("x-ms-blob-type", "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        HttpResponse<byte[]> answer = send(request);
        if (answer.statusCode() != 201) {
            throw refused("write the export blob " + blob + " with the SAS given", answer);
        }
    }

    /** The content of the blob {@code blobSas} names. */
    byte[] get(URI blobSas) {
        HttpRequest request = HttpRequest.newBuilder(blobSas)
                .timeout(Duration.ofSeconds(60))
                .header("x-ms-version", VERSION)
                .GET()
                .build();
        HttpResponse<byte[]> answer = send(request);
        if (answer.statusCode() != 200) {
            throw refused("read the blob " + blobSas.getPath() + " with the SAS given", answer);
        }
        return answer.body();
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ArmError(400, "InvalidSasUri", "The storage account of the SAS URI could not be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Blob Storage", e);
        }
    }

    private static ArmError refused(String what, HttpResponse<byte[]> answer) {
        String code = answer.headers().firstValue("x-ms-error-code").orElse("HTTP " + answer.statusCode());
        return new ArmError(
                400,
                "StorageOperationFailed",
                "Could not " + what + ": the storage service answered " + answer.statusCode() + " " + code + ".");
    }
}
