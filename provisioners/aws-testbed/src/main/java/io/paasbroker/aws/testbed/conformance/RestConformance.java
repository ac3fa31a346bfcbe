package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a request of a REST protocol against its service's model: REST-XML (S3: path-style {@code PUT
 * /bucket?versioning} with an XML body) or REST-JSON (OpenSearch: {@code POST /2021-01-01/opensearch/domain} with a
 * JSON body). The method, path and query name one of the model's operations (the one whose {@code requestUri} matches
 * with the most literal query keys); every required member is there, in the path, query, a header or the body; each
 * path label, query parameter and header value parses as its member's type and keeps the full model's enum, length
 * and pattern; the body is the protocol's ({@link XmlBody}, {@link JsonBody}). Query parameters the model does not
 * name are refused, except {@code x-id}, which the S3 client adds to name the operation. The SDK checks none of this
 * itself.
 */
public final class RestConformance implements RequestGate {

    private final ServiceModel model;
    private final FullModel full;
    private final RestBody body;

    public RestConformance(ServiceModel model, FullModel full) {
        this.model = model;
        this.full = full;
        this.body = switch (model.protocol()) {
            case "rest-xml" -> new XmlBody(model, full);
            case "rest-json" -> new JsonBody(model, full);
            default ->
                throw new IllegalArgumentException(
                        model.name() + " speaks " + model.protocol() + ", not REST-XML or REST-JSON");
        };
    }

    @Override
    public Set<String> errorCodes(String operation) {
        return full.errorCodes(operation);
    }

    /**
     * The operation the request is, if any of the model's: of those whose method, path and query literals match, the
     * one with the most query literals, then the one whose required headers and query parameters the request has
     * (PutObject and CopyObject share a path; only a copy has {@code x-amz-copy-source}).
     */
    @Override
    public Optional<String> operationOf(HttpRequest request) {
        String best = null;
        int bestScore = -1;
        for (String operation : model.operationNames()) {
            JsonNode http = model.http(operation);
            String requestUri = http.path("requestUri").asText("/");
            // the minified models leave out what is the default: POST, and the path /
            if (!http.path("method").asText("POST").equals(request.method())
                    || !requestUri.startsWith("/")
                    || labels(requestUri, request).isEmpty()) {
                continue;
            }
            int score = queryLiterals(requestUri).size() * 1000 + requiredOutsideBodyScore(operation, request);
            if (score > bestScore) {
                best = operation;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** 100 when the request has every required header and query parameter of the operation, plus how many it has. */
    private int requiredOutsideBodyScore(String operation, HttpRequest request) {
        JsonNode input = model.input(operation).orElseThrow();
        int present = 0;
        boolean all = true;
        for (JsonNode required : input.path("required")) {
            JsonNode member = model.resolve(input.path("members").path(required.asText()));
            String wire = member.path("locationName").asText(required.asText());
            String location = member.path("location").asText("");
            if (location.equals("header") || location.equals("querystring")) {
                boolean has = location.equals("header")
                        ? request.headers().containsKey(wire.toLowerCase(Locale.ROOT))
                        : request.query().containsKey(wire);
                present += has ? 1 : 0;
                all &= has;
            }
        }
        return (all ? 100 : 0) + present;
    }

    @Override
    public List<String> check(HttpRequest request) {
        Optional<String> found = operationOf(request);
        if (found.isEmpty()) {
            return List.of(model.name() + " has no operation " + request.method() + " " + request.rawPath()
                    + (request.query().isEmpty() ? "" : "?" + request.query().keySet()));
        }
        String operation = found.get();
        String requestUri = model.http(operation).path("requestUri").asText("/");
        Map<String, String> labels = labels(requestUri, request).orElseThrow();
        Map<String, String> literals = queryLiterals(requestUri);
        JsonNode input = model.input(operation).orElseThrow();
        JsonNode constraints = full.input(operation);
        List<String> violations = new ArrayList<>();
        List<String> namedQuery = new ArrayList<>(literals.keySet());
        namedQuery.add("x-id");
        for (Iterator<Map.Entry<String, JsonNode>> members =
                        input.path("members").fields();
                members.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = members.next();
            String name = entry.getKey();
            JsonNode member = model.resolve(entry.getValue());
            JsonNode memberConstraints = full.shape(constraints.path("members").path(name));
            String location = member.path("location").asText("");
            String wire = member.path("locationName").asText(name);
            boolean required = ServiceModel.requires(input, name);
            String path = operation + "." + name;
            switch (location) {
                case "uri" -> scalar(path, member, memberConstraints, labels.get(wire), required, violations);
                case "querystring" -> {
                    namedQuery.add(wire);
                    scalar(
                            path,
                            member,
                            memberConstraints,
                            first(request.query().get(wire)),
                            required,
                            violations);
                }
                case "header" ->
                    // a header carries its value encoded for HTTP (x-amz-copy-source URL-encoded, dates as RFC 1123):
                    // the model's pattern, written for the value itself, is not applied to it
                    scalar(
                            path,
                            member,
                            withoutPattern(memberConstraints),
                            first(request.headers().get(wire.toLowerCase(Locale.ROOT))),
                            required,
                            violations);
                case "headers" -> {} // a prefix of free-form headers (x-amz-meta-*)
                default -> {} // in the body
            }
        }
        body.check(operation, input, constraints, request.body(), violations);
        for (String parameter : request.query().keySet()) {
            if (!namedQuery.contains(parameter)) {
                violations.add(operation + ": query parameter " + parameter + " is no member");
            }
        }
        return violations;
    }

    private static JsonNode withoutPattern(JsonNode constraints) {
        return constraints instanceof ObjectNode object ? object.deepCopy().without("pattern") : constraints;
    }

    private static void scalar(
            String path,
            JsonNode member,
            JsonNode constraints,
            String value,
            boolean required,
            List<String> violations) {
        if (value == null || value.isEmpty()) {
            if (required) {
                violations.add(path + " is required");
            }
            return;
        }
        String type = member.path("type").asText();
        // headers carry timestamps as HTTP dates and lists comma-separated: only strings and numbers are parsed here
        if (type.equals("string") || type.equals("integer") || type.equals("long") || type.equals("boolean")) {
            ScalarChecks.check(path, type, constraints, value, violations);
        }
    }

    /**
     * The path labels of {@code requestUri} in the request's path, when the path and the query's literal keys match
     * it; {@code {Key+}} takes the rest of the path. Labels are decoded.
     */
    private static Optional<Map<String, String>> labels(String requestUri, HttpRequest request) {
        for (Map.Entry<String, String> literal : queryLiterals(requestUri).entrySet()) {
            List<String> values = request.query().get(literal.getKey());
            if (values == null || (!literal.getValue().isEmpty() && !values.contains(literal.getValue()))) {
                return Optional.empty();
            }
        }
        String template = requestUri.contains("?") ? requestUri.substring(0, requestUri.indexOf('?')) : requestUri;
        String[] expected = template.substring(1).split("/", -1);
        String[] actual = request.rawPath().substring(1).split("/", -1);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < expected.length; i++) {
            String part = expected[i];
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= actual.length) {
                    return Optional.empty();
                }
                String rest = String.join("/", Arrays.copyOfRange(actual, i, actual.length));
                labels.put(part.substring(1, part.length() - 2), decode(rest));
                return rest.isEmpty() ? Optional.empty() : Optional.of(labels);
            }
            if (i >= actual.length) {
                return part.isEmpty() ? Optional.of(labels) : Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return Optional.empty();
                }
                labels.put(part.substring(1, part.length() - 1), decode(actual[i]));
            } else if (!part.equals(actual[i])) {
                return Optional.empty();
            }
        }
        boolean trailingSlashOnly = actual.length == expected.length + 1 && actual[actual.length - 1].isEmpty();
        return actual.length == expected.length || trailingSlashOnly ? Optional.of(labels) : Optional.empty();
    }

    /** The query keys (and values, where given) a {@code requestUri} names: {@code ?list-type=2}, {@code ?versioning}. */
    private static Map<String, String> queryLiterals(String requestUri) {
        Map<String, String> literals = new LinkedHashMap<>();
        int question = requestUri.indexOf('?');
        if (question < 0) {
            return literals;
        }
        for (String pair : requestUri.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            literals.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
        }
        return literals;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
