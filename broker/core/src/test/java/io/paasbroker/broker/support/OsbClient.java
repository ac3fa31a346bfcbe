package io.paasbroker.broker.support;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.Map;

/** Speaks OSB HTTP to a broker the way a platform does: basic auth, API version header, JSON bodies. */
public class OsbClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String username;
    private final String password;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public OsbClient(String baseUrl, String username, String password) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        headers.put("X-Broker-API-Version", "2.17");
    }

    /** A client that sends {@code name: value} too, or leaves the header out when the value is null. */
    public OsbClient with(String name, String value) {
        OsbClient copy = new OsbClient(baseUrl, username, password);
        copy.headers.clear();
        copy.headers.putAll(headers);
        if (value == null) {
            copy.headers.remove(name);
        } else {
            copy.headers.put(name, value);
        }
        return copy;
    }

    public OsbClient as(String user, String secret) {
        OsbClient copy = new OsbClient(baseUrl, user, secret);
        copy.headers.clear();
        copy.headers.putAll(headers);
        return copy;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends {@code body} as is when it is a String (to send broken JSON), else as JSON. */
    public Response send(String method, String path, Object body) {
        try {
            String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(text))
                    .header("Content-Type", "application/json");
            if (username != null) {
                request.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            headers.forEach(request::setHeader);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response, parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    public record Response(int status, HttpResponse<String> raw, JsonNode body) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String text(String field) {
            JsonNode value = body.get(field);
            return value == null ? null : value.asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
