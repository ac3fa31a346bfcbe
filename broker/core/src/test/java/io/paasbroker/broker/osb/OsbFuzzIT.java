package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.paasbroker.broker.support.BrokerIT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed requests over every endpoint: methods, paths, query parameters, headers, and bodies of wrong
 * types, sizes and encodings, each with at least one defect that makes it invalid. None may get a 5xx, lose its
 * connection or change the broker's state. The seed is printed; {@code -Dfuzz.seed=<seed>} replays a run.
 */
class OsbFuzzIT extends BrokerIT {

    private static final int REQUESTS = 2_000;
    private static final List<String> TABLES =
            List.of("service_instances", "service_bindings", "operations", "backups", "audit_events");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Random random;

    @Test
    void malformedRequestsGetNo5xxKeepTheirConnectionAndChangeNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("OSB fuzz seed: " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
        random = new Random(seed);
        String existing = newId();
        osb.put(instancePath(existing), fakeProvision("ok"));
        osb.put(bindingPath(existing, existing), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));
        Map<String, Long> before = rowCounts();

        for (int i = 0; i < REQUESTS; i++) {
            Fuzzed request = next(existing);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(port), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                fail("seed %d, request %d, %s: connection lost: %s", seed, i, request, e);
                return;
            }
            assertThat(response.statusCode())
                    .as("seed %d, request %d, %s: %s", seed, i, request, response.body())
                    .isLessThan(500);
        }

        assertThat(rowCounts()).as("seed %d: rows of the state store", seed).isEqualTo(before);
        assertThat(osb.get(instancePath(existing)).status()).isEqualTo(200);
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : TABLES) {
            counts.put(
                    table,
                    jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
        }
        return counts;
    }

    /** One request; {@code rawPath} percent-encoded, {@code body} null for none. */
    private record Fuzzed(String method, String rawPath, Map<String, String> headers, byte[] body) {

        HttpRequest build(int port) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            return builder.build();
        }

        @Override
        public String toString() {
            String shown = body == null
                    ? ""
                    : " body " + new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1)
                            + (body.length > 200 ? "... (" + body.length + " bytes)" : "");
            return method + " " + (rawPath.length() > 300 ? rawPath.substring(0, 300) + "..." : rawPath) + " "
                    + headers.keySet() + shown;
        }
    }

    private Fuzzed next(String existing) {
        String method = pick("GET", "PUT", "PATCH", "DELETE", "POST", "OPTIONS", "HEAD", "PUT", "PUT", "PATCH");
        // a DELETE carries no body to make it invalid: it goes to ids that do not exist
        boolean deleting = method.equals("DELETE");
        String instance = !deleting && random.nextInt(4) == 0 ? existing : id();
        String binding = !deleting && random.nextInt(3) == 0 ? existing : id();
        String instancePath = "/v2/service_instances/" + instance;
        String bindingPath = instancePath + "/service_bindings/" + binding;
        String path = pick(
                "/v2/catalog",
                instancePath,
                instancePath + "/last_operation",
                bindingPath,
                bindingPath + "/last_operation",
                "/v2/service_instances/" + id() + "/backups",
                "/v2/service_instances",
                "/v2/" + id(),
                "/cf-" + id() + "/v2/catalog",
                "/v2//service_instances/" + instance,
                instancePath + "/" + id());
        boolean mutating = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        // every body a PUT, PATCH or POST carries is invalid; an empty one only where no body is read
        boolean needsDefect = mutating;
        List<String> query = new ArrayList<>();
        if (random.nextBoolean()) {
            query.add("accepts_incomplete=" + pick("true", "false", "maybe", "", "1", "TRUE", "%00", "true%0A"));
        }
        if (random.nextBoolean()) {
            query.add("service_id=" + pick(FAKE_SERVICE, id(), "", "%00"));
        }
        if (random.nextBoolean()) {
            query.add("plan_id=" + pick(FAKE_PLAN, id(), "", "%E2%80%AE"));
        }
        if (random.nextBoolean()) {
            query.add("operation=" + pick(id(), "", "%00x", "%0D%0Ax"));
        }
        if (random.nextInt(5) == 0) {
            query.add(id() + "=" + id());
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put(
                "Authorization",
                "Basic "
                        + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        String version = pick("2.17", "2.17", "2.17", "2.13", "3.0", "2.", "two", "2.17.1", null);
        if (version != null) {
            headers.put("X-Broker-API-Version", version);
        }
        String contentType = pick("application/json", "application/json", "text/plain", "application/xml", null);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (random.nextInt(4) == 0) {
            headers.put(
                    "X-Broker-API-Originating-Identity",
                    pick(
                            "cloudfoundry",
                            "cloudfoundry !!!",
                            "kubernetes " + base64("{\"uid\": 1}"),
                            "x " + base64("[")));
        }
        if (random.nextInt(4) == 0) {
            headers.put("X-Broker-API-Request-Identity", pick(id(), "x".repeat(300), ""));
        }
        byte[] body = mutating || random.nextInt(5) == 0 ? body(needsDefect) : null;
        String rawPath = path + (query.isEmpty() ? "" : "?" + String.join("&", query));
        return new Fuzzed(method, rawPath, headers, body);
    }

    /** A body no endpoint accepts: broken, of the wrong type, or without what every request needs. */
    private byte[] body(boolean mustBeInvalid) {
        return switch (random.nextInt(mustBeInvalid ? 9 : 10)) {
            case 0 -> bytes("{");
            case 1 -> bytes("[" + "[".repeat(random.nextInt(3000)));
            case 2 ->
                bytes("{\"service_id\": " + pick("1", "true", "null", "[]", "{}") + ", \"plan_id\": \"" + FAKE_PLAN
                        + "\", \"organization_guid\": \"o\", \"space_guid\": \"s\"}");
            case 3 ->
                bytes("{\"service_id\": \"" + FAKE_SERVICE + "\", \"plan_id\": \"" + FAKE_PLAN
                        + "\", \"organization_guid\": " + pick("1", "[]", "{}", "\"\\u0000\"")
                        + ", \"space_guid\": \"s\","
                        + " \"parameters\": " + pick("1", "\"x\"", "[1]", "true") + "}");
            case 4 -> new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
            case 5 -> bytes("\"just a string\"");
            case 6 ->
                bytes("{\"service_id\": \"" + id() + "\", \"plan_id\": \"" + id() + "\", \"context\": "
                        + pick("1", "\"ctx\"", "{\"platform\": {}}") + "}");
            case 7 ->
                bytes("{\"parameters\": {\"padding\": \"" + "x".repeat(random.nextInt(2) == 0 ? 100 : 1_100_000)
                        + "\"}}");
            // a bind takes no maintenance_info and ignores it: a bind_resource that is no object makes it invalid too
            case 8 ->
                bytes("{\"service_id\": \"" + FAKE_SERVICE + "\", \"plan_id\": \"" + FAKE_PLAN
                        + "\", \"bind_resource\": 7, \"maintenance_info\": "
                        + pick("1", "{\"version\": []}", "\"v\"") + "}");
            default -> bytes("");
        };
    }

    /** An id: printable, encoded control, formatting or broken UTF-8 characters, long, or empty. */
    private String id() {
        return switch (random.nextInt(8)) {
            case 0 -> "%0A" + java.util.UUID.randomUUID();
            case 1 -> "a%E2%80%AEb";
            case 2 -> "x".repeat(256 + random.nextInt(100));
            case 3 -> "%FF%FE";
            case 4 -> "%C3%A9t%C3%A9";
            case 5 -> "a%20b";
            case 6 -> "..";
            default -> java.util.UUID.randomUUID().toString();
        };
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(bytes(text));
    }
}
