package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a request of the AWS Query protocol (RDS, ElastiCache, IAM, STS: form parameters such as
 * {@code Tags.Tag.1.Key=team}) against its service's model: the action is one of the model's, the version is the
 * model's, every parameter names a member of the operation's input, every required member is there, lists are
 * numbered from 1 without gaps, and each value parses as its member's type. The SDK checks none of this itself.
 */
public final class QueryConformance {

    private final ServiceModel model;

    public QueryConformance(ServiceModel model) {
        if (!model.protocol().equals("query")) {
            throw new IllegalArgumentException(
                    model.name() + " speaks " + model.protocol() + ", not the Query protocol");
        }
        this.model = model;
    }

    /** What is wrong with one request's parameters, each in a sentence; empty when it conforms. */
    public List<String> check(Map<String, String> parameters) {
        List<String> violations = new ArrayList<>();
        String action = parameters.get("Action");
        if (action == null) {
            return List.of("no Action");
        }
        if (!model.apiVersion().equals(parameters.get("Version"))) {
            violations.add(action + ": Version " + parameters.get("Version") + " is not " + model.apiVersion());
        }
        JsonNode input = model.input(action).orElse(null);
        if (input == null) {
            return List.of(model.name() + " has no operation " + action);
        }
        Node request = new Node();
        parameters.forEach((key, value) -> {
            if (!key.equals("Action") && !key.equals("Version")) {
                request.put(key.split("\\.", -1), 0, value);
            }
        });
        check(action, input, request, violations);
        return violations;
    }

    /** The parameters below one prefix: a value, or named children (member names, list positions). */
    private static final class Node {
        String value;
        final Map<String, Node> children = new TreeMap<>();

        void put(String[] path, int at, String leaf) {
            if (at == path.length) {
                value = leaf;
                return;
            }
            children.computeIfAbsent(path[at], name -> new Node()).put(path, at + 1, leaf);
        }
    }

    private void check(String path, JsonNode shape, Node node, List<String> violations) {
        switch (shape.path("type").asText()) {
            case "structure" -> structure(path, shape, node, violations);
            case "list" -> list(path, shape, node, violations);
            case "map" -> map(path, shape, node, violations);
            default -> scalar(path, shape, node, violations);
        }
    }

    private void structure(String path, JsonNode shape, Node node, List<String> violations) {
        if (node.value != null && !node.value.isEmpty()) {
            violations.add(path + ": a value where the model has a structure");
            return;
        }
        Map<String, String> memberBySerializedName = new TreeMap<>();
        JsonNode members = shape.path("members");
        for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            memberBySerializedName.put(member.getValue().path("locationName").asText(member.getKey()), member.getKey());
        }
        for (Map.Entry<String, Node> child : node.children.entrySet()) {
            String member = memberBySerializedName.get(child.getKey());
            if (member == null) {
                violations.add(path + ": " + child.getKey() + " is no member (members: "
                        + new TreeSet<>(memberBySerializedName.keySet()) + ")");
            } else {
                check(path + "." + child.getKey(), model.resolve(members.get(member)), child.getValue(), violations);
            }
        }
        for (JsonNode required : shape.path("required")) {
            String serialized =
                    members.path(required.asText()).path("locationName").asText(required.asText());
            if (!node.children.containsKey(serialized)) {
                violations.add(path + ": " + serialized + " is required");
            }
        }
    }

    /** {@code Name.member.N} (or the element's {@code locationName} for {@code member}); an empty list is {@code Name=}. */
    private void list(String path, JsonNode shape, Node node, List<String> violations) {
        if (node.children.isEmpty()) {
            if (node.value != null && !node.value.isEmpty()) {
                violations.add(path + ": a value where the model has a list");
            }
            return;
        }
        JsonNode element = model.resolve(shape.path("member"));
        Node elements = node;
        String elementName = shape.path("flattened").asBoolean()
                ? null
                : element.path("locationName").asText("member");
        if (elementName != null) {
            if (node.children.size() != 1 || !node.children.containsKey(elementName)) {
                violations.add(path + ": list elements must be " + path + "." + elementName + ".N, not "
                        + node.children.keySet());
                return;
            }
            elements = node.children.get(elementName);
        }
        numbered(path, elements, violations)
                .forEach((index, item) -> check(path + "." + index, element, item, violations));
    }

    /** {@code Name.entry.N.key} and {@code .value}, under the names the model gives them. */
    private void map(String path, JsonNode shape, Node node, List<String> violations) {
        Node entries = shape.path("flattened").asBoolean() ? node : node.children.get("entry");
        if (entries == null) {
            if (!node.children.isEmpty()) {
                violations.add(path + ": map entries must be " + path + ".entry.N, not " + node.children.keySet());
            }
            return;
        }
        JsonNode key = model.resolve(shape.path("key"));
        JsonNode value = model.resolve(shape.path("value"));
        String keyName = key.path("locationName").asText("key");
        String valueName = value.path("locationName").asText("value");
        numbered(path, entries, violations).forEach((index, entry) -> {
            for (String part : entry.children.keySet()) {
                if (!part.equals(keyName) && !part.equals(valueName)) {
                    violations.add(path + "." + index + ": " + part + " is neither " + keyName + " nor " + valueName);
                }
            }
            Node entryKey = entry.children.get(keyName);
            if (entryKey == null) {
                violations.add(path + "." + index + ": no " + keyName);
            } else {
                check(path + "." + index + "." + keyName, key, entryKey, violations);
            }
            if (entry.children.containsKey(valueName)) {
                check(path + "." + index + "." + valueName, value, entry.children.get(valueName), violations);
            }
        });
    }

    /** The children of a list or map, by position, which must run 1, 2, ... with no gap. */
    private static Map<Integer, Node> numbered(String path, Node node, List<String> violations) {
        Map<Integer, Node> byIndex = new TreeMap<>();
        for (Map.Entry<String, Node> child : node.children.entrySet()) {
            try {
                byIndex.put(Integer.parseInt(child.getKey()), child.getValue());
            } catch (NumberFormatException e) {
                violations.add(path + ": " + child.getKey() + " is no position in a list");
            }
        }
        int expected = 1;
        for (int index : byIndex.keySet()) {
            if (index != expected++) {
                violations.add(path + ": positions must run 1, 2, ... with no gap, not " + byIndex.keySet());
                break;
            }
        }
        return byIndex;
    }

    private static void scalar(String path, JsonNode shape, Node node, List<String> violations) {
        String type = shape.path("type").asText();
        if (!node.children.isEmpty() || node.value == null) {
            violations.add(path + ": parameters below a " + type);
            return;
        }
        String value = node.value;
        boolean parses = switch (type) {
            case "integer", "long" -> value.matches("-?\\d{1,19}");
            case "float", "double" -> value.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
            case "boolean" -> value.equals("true") || value.equals("false");
            case "timestamp" -> isTimestamp(value);
            case "blob" -> isBase64(value);
            default -> true;
        };
        if (!parses) {
            violations.add(path + ": '" + value + "' is no " + type);
        }
    }

    private static boolean isTimestamp(String value) {
        try {
            Instant.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isBase64(String value) {
        try {
            Base64.getDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
