package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of a REST-JSON request (OpenSearch): a JSON object of the input's members that have no {@code location},
 * keyed by their {@code locationName} or name, or, when the input names a {@code payload}, that member's value alone.
 * Its keys are the shape's members, the required ones there; each value has the JSON type of its shape (a structure
 * an object, a list an array, a map an object, a timestamp a number or a string, a blob a base64 string), and each
 * scalar keeps the full model's constraints ({@link ScalarChecks}).
 */
final class JsonBody implements RestBody {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final ServiceModel model;
    private final FullModel full;

    JsonBody(ServiceModel model, FullModel full) {
        this.model = model;
        this.full = full;
    }

    @Override
    public void check(String operation, JsonNode input, JsonNode constraints, byte[] body, List<String> violations) {
        String payload = input.path("payload").asText(null);
        boolean empty = body == null || new String(body, StandardCharsets.UTF_8).isBlank();
        if (payload == null) {
            // with no body the members are all absent: a request is then wrong only if one of them is required
            JsonNode document = empty ? JSON.createObjectNode() : parse(operation, body, violations);
            if (document != null) {
                value(operation, bodyShape(input), constraints, document, violations);
            }
            return;
        }
        JsonNode member = model.resolve(input.path("members").path(payload));
        if (!member.path("type").asText().equals("structure")) {
            return; // a blob or string payload is whatever the caller sends
        }
        String path = operation + "." + payload;
        if (empty) {
            if (ServiceModel.requires(input, payload)) {
                violations.add(path + " is required (the request has no body)");
            }
            return;
        }
        JsonNode document = parse(path, body, violations);
        if (document != null) {
            value(path, member, full.shape(constraints.path("members").path(payload)), document, violations);
        }
    }

    private static JsonNode parse(String path, byte[] body, List<String> violations) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            violations.add(path + ": the body is not JSON");
            return null;
        }
    }

    /** The input shape without the members that travel elsewhere (path, query, headers). */
    private JsonNode bodyShape(JsonNode input) {
        ObjectNode shape = JSON.createObjectNode().put("type", "structure");
        ObjectNode members = shape.putObject("members");
        input.path("members").fields().forEachRemaining(member -> {
            if (!model.resolve(member.getValue()).has("location")) {
                members.set(member.getKey(), member.getValue());
            }
        });
        input.path("required").forEach(required -> {
            if (members.has(required.asText())) {
                shape.withArray("required").add(required);
            }
        });
        return shape;
    }

    /** {@code constraints}: the full model's shape at the same place, or a missing node where it has none. */
    private void value(String path, JsonNode shape, JsonNode constraints, JsonNode value, List<String> violations) {
        String type = shape.path("type").asText();
        switch (type) {
            case "structure" -> {
                if (value.isObject()) {
                    structure(path, shape, constraints, value, violations);
                } else {
                    wrongType(path, type, value, violations);
                }
            }
            case "list" -> {
                if (value.isArray()) {
                    JsonNode item = model.resolve(shape.path("member"));
                    JsonNode itemConstraints = full.shape(constraints.path("member"));
                    for (int i = 0; i < value.size(); i++) {
                        value(path + "[" + i + "]", item, itemConstraints, value.get(i), violations);
                    }
                } else {
                    wrongType(path, type, value, violations);
                }
            }
            case "map" -> {
                if (value.isObject()) {
                    map(path, shape, constraints, value, violations);
                } else {
                    wrongType(path, type, value, violations);
                }
            }
            default -> scalar(path, type, constraints, value, violations);
        }
    }

    private void structure(
            String path, JsonNode shape, JsonNode constraints, JsonNode object, List<String> violations) {
        Map<String, String> memberByKey = new TreeMap<>();
        JsonNode members = shape.path("members");
        members.fields()
                .forEachRemaining(member -> memberByKey.put(
                        member.getValue().path("locationName").asText(member.getKey()), member.getKey()));
        object.fields().forEachRemaining(field -> {
            String member = memberByKey.get(field.getKey());
            if (member == null) {
                violations.add(path + ": " + field.getKey() + " is no member (members: " + memberByKey.keySet() + ")");
            } else {
                value(
                        path + "." + field.getKey(),
                        model.resolve(members.get(member)),
                        full.shape(constraints.path("members").path(member)),
                        field.getValue(),
                        violations);
            }
        });
        for (JsonNode required : shape.path("required")) {
            String key = members.path(required.asText()).path("locationName").asText(required.asText());
            if (!object.has(key)) {
                violations.add(path + "." + key + " is required");
            }
        }
    }

    /** A JSON object whose keys are the key shape's strings and whose values are the value shape's. */
    private void map(String path, JsonNode shape, JsonNode constraints, JsonNode object, List<String> violations) {
        JsonNode keyConstraints = full.shape(constraints.path("key"));
        JsonNode valueShape = model.resolve(shape.path("value"));
        JsonNode valueConstraints = full.shape(constraints.path("value"));
        object.fields().forEachRemaining(entry -> {
            ScalarChecks.check(path, "string", keyConstraints, entry.getKey(), violations);
            value(path + "." + entry.getKey(), valueShape, valueConstraints, entry.getValue(), violations);
        });
    }

    /** A value of the JSON type its shape's type is written as, then checked as a scalar of any protocol is. */
    private static void scalar(
            String path, String type, JsonNode constraints, JsonNode value, List<String> violations) {
        boolean written = switch (type) {
            case "boolean" -> value.isBoolean();
            case "integer", "long" -> value.isIntegralNumber();
            case "float", "double" -> value.isNumber();
            case "timestamp" -> value.isNumber() || value.isTextual();
            default -> value.isTextual(); // string, and blob as base64
        };
        if (!written) {
            wrongType(path, type, value, violations);
        } else if (!(type.equals("timestamp") && value.isNumber())) {
            // a timestamp as a number is epoch seconds, which no constraint limits
            ScalarChecks.check(path, type, constraints, value.asText(), violations);
        }
    }

    private static void wrongType(String path, String type, JsonNode value, List<String> violations) {
        violations.add(path + ": a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                + " where the model has type " + type);
    }
}
