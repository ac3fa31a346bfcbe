package io.paasbroker.bench.osb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls a broker the way a platform does: basic auth (when given), the OSB version header, JSON bodies, kept-alive
 * HTTP/1.1 connections shared by all threads.
 */
public final class OsbPlatform {

    private static final Pattern BACKING = Pattern.compile("(?:^|,)\\s*backing;dur=([0-9.]+)");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final String authorization;

    private OsbPlatform(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    public static OsbPlatform withBasicAuth(String baseUrl, String username, String password) {
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new OsbPlatform(baseUrl, "Basic " + token);
    }

    public static OsbPlatform withoutAuth(String baseUrl) {
        return new OsbPlatform(baseUrl, null);
    }

    /** Sends the request and returns the body, or throws when the status is not {@code expected}. */
    public String call(String method, String path, String jsonBody, int expected) {
        return send(method, path, jsonBody, expected).body();
    }

    /**
     * Sends the request like {@link #call} and returns the time the broker says its backing service took, from its
     * {@code Server-Timing: backing;dur=<ms>} header, in nanoseconds.
     */
    public long callForBackingNanos(String method, String path, String jsonBody, int expected) {
        String timing = send(method, path, jsonBody, expected)
                .headers()
                .firstValue("Server-Timing")
                .orElseThrow(() -> new IllegalStateException(
                        method + " " + path + ": the broker sent no Server-Timing header (an older broker jar?)"));
        Matcher backing = BACKING.matcher(timing);
        if (!backing.find()) {
            throw new IllegalStateException(method + " " + path + ": no backing duration in Server-Timing: " + timing);
        }
        return Math.round(Double.parseDouble(backing.group(1)) * 1e6);
    }

    private HttpResponse<String> send(String method, String path, String jsonBody, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Broker-API-Version", "2.17")
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new UnexpectedResponseException(method, path, response.statusCode(), response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    public String catalog() {
        return call("GET", "/v2/catalog", null, 200);
    }
}
