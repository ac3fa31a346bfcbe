package io.paasbroker.provisioner.testcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The test cloud's API as its provisioner calls it: every call with a timeout, the cloud's outage as {@link
 * BackingServiceUnavailableException} (the broker retries), its refusal as {@link ProvisioningFailedException}.
 */
final class TestCloudClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** An answer: its status, and its body read as JSON (empty for none). */
    record Answer(int status, Map<String, Object> body) {
        String text(String field) {
            Object value = body.get(field);
            return value == null ? null : value.toString();
        }
    }

    private final URI endpoint;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    TestCloudClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    URI endpoint() {
        return endpoint;
    }

    Answer send(String method, String path, Map<String, Object> body, Optional<String> masterPassword) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(TIMEOUT)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(json(body)))
                .header("Content-Type", "application/json");
        masterPassword.ifPresent(password -> request.header("X-Master-Password", password));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 500) {
                throw new BackingServiceUnavailableException(
                        "the test cloud answered " + response.statusCode() + " to " + method + " " + path, null);
            }
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new BackingServiceUnavailableException(
                    "the test cloud at " + endpoint + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException("interrupted while calling the test cloud", e);
        }
    }

    /** Refuses an answer whose status is none of {@code expected}, with the cloud's own words. */
    static Answer expect(Answer answer, String what, int... expected) {
        for (int status : expected) {
            if (answer.status() == status) {
                return answer;
            }
        }
        throw new ProvisioningFailedException(
                "the test cloud refused to " + what + " (" + answer.status() + "): " + answer.text("error"));
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write a request body", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body) throws IOException {
        return body.length == 0 ? Map.of() : JSON.readValue(body, Map.class);
    }
}
