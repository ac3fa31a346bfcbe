package io.paasbroker.provisioner.testcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * What an application does with a binding of the test cloud: reads and writes its database's data at the binding's
 * {@code uri}, with its {@code username} and {@code password} as the key. For the tests, which check that a key works,
 * stops working, or reaches only its own database.
 */
public final class TestCloudApplication {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final String secret;

    /** An application with the credentials {@code username} and {@code password} of a binding. */
    public TestCloudApplication(String key, String secret) {
        this.key = key;
        this.secret = secret;
    }

    /** Stores {@code data} at {@code uri}; the cloud's status: 204 when stored, 401 when the key is refused. */
    public int write(String uri, String data) {
        return send("PUT", uri, data).statusCode();
    }

    /** The cloud's status for a read of {@code uri}: 200, or 401 when the key is refused. */
    public int readStatus(String uri) {
        return send("GET", uri, null).statusCode();
    }

    /** The data at {@code uri}; null when none was stored. Throws when the cloud refuses the key. */
    public String read(String uri) {
        HttpResponse<String> response = send("GET", uri, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "the test cloud answered " + response.statusCode() + ": " + response.body());
        }
        try {
            Object data = JSON.readValue(response.body(), Map.class).get("data");
            return data == null ? null : data.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String uri, String body) {
        String pair = key + ":" + secret;
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the test cloud at " + uri + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
