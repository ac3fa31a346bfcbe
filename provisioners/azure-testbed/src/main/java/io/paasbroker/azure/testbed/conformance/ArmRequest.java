package io.paasbroker.azure.testbed.conformance;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request as a fake ARM received it: the path as sent (percent-encoded), the query parameters decoded by name, and
 * the body (empty when there is none).
 */
public record ArmRequest(String method, String rawPath, Map<String, List<String>> query, byte[] body) {

    public ArmRequest {
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A request of {@code method} to {@code pathAndQuery} ({@code /subscriptions/...?api-version=2025-08-01}). */
    public static ArmRequest of(String method, String pathAndQuery, String body) {
        int question = pathAndQuery.indexOf('?');
        String rawPath = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String rawQuery = question < 0 ? "" : pathAndQuery.substring(question + 1);
        return new ArmRequest(
                method, rawPath, query(rawQuery), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** A raw query string's parameters, decoded, by name in the order they came; a key alone has the value "". */
    public static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** The first value of the query parameter {@code name}, or null. */
    public String queryValue(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The {@code api-version} query parameter, or null. */
    public String apiVersion() {
        return queryValue("api-version");
    }

    /** Whether the request has a body: one of only whitespace counts as none. */
    public boolean hasBody() {
        return !new String(body, StandardCharsets.UTF_8).isBlank();
    }
}
