package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a request of the AWS Query protocol (RDS, ElastiCache, IAM, STS: form parameters such as
 * {@code Tags.Tag.1.Key=team}) against its service's model: the action is one of the model's, the version is the
 * model's, every parameter names a member of the operation's input, every required member is there, lists are
 * numbered from 1 without gaps, and each value parses as its member's type; and, by the full model, that each value
 * is among its enum, within its length or range and matches its pattern, and each list within its counts. The SDK
 * checks none of this itself.
 */
public final class QueryConformance {

    private final ServiceModel model;
    private final FullModel full;

    public QueryConformance(ServiceModel model, FullModel full) {
        if (!model.protocol().equals("query")) {
            throw new IllegalArgumentException(
                    model.name() + " speaks " + model.protocol() + ", not the Query protocol");
        }
        this.model = model;
        this.full = full;
    }

    /** The error codes {@code action} may answer, by the full model. */
    public Set<String> errorCodes(String action) {
        return full.errorCodes(action);
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
        check(action, input, full.input(action), request, violations);
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

    /** {@code constraints}: the full model's shape at the same place, or a missing node where it has none. */
    private void check(String path, JsonNode shape, JsonNode constraints, Node node, List<String> violations) {
        switch (shape.path("type").asText()) {
            case "structure" -> structure(path, shape, constraints, node, violations);
            case "list" -> list(path, shape, constraints, node, violations);
            case "map" -> map(path, shape, constraints, node, violations);
            default -> scalar(path, shape, constraints, node, violations);
        }
    }

    private void structure(String path, JsonNode shape, JsonNode constraints, Node node, List<String> violations) {
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
                check(
                        path + "." + child.getKey(),
                        model.resolve(members.get(member)),
                        full.shape(constraints.path("members").path(member)),
                        child.getValue(),
                        violations);
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
    private void list(String path, JsonNode shape, JsonNode constraints, Node node, List<String> violations) {
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
        Map<Integer, Node> items = numbered(path, elements, violations);
        withinCounts(path, constraints, items.size(), violations);
        JsonNode elementConstraints = full.shape(constraints.path("member"));
        items.forEach((index, item) -> check(path + "." + index, element, elementConstraints, item, violations));
    }

    /** {@code Name.entry.N.key} and {@code .value}, under the names the model gives them. */
    private void map(String path, JsonNode shape, JsonNode constraints, Node node, List<String> violations) {
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
                check(
                        path + "." + index + "." + keyName,
                        key,
                        full.shape(constraints.path("key")),
                        entryKey,
                        violations);
            }
            if (entry.children.containsKey(valueName)) {
                check(
                        path + "." + index + "." + valueName,
                        value,
                        full.shape(constraints.path("value")),
                        entry.children.get(valueName),
                        violations);
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

    private static void scalar(String path, JsonNode shape, JsonNode constraints, Node node, List<String> violations) {
        if (!node.children.isEmpty() || node.value == null) {
            violations.add(path + ": parameters below a " + shape.path("type").asText());
            return;
        }
        ScalarChecks.check(path, shape.path("type").asText(), constraints, node.value, violations);
    }

    private static void withinCounts(String path, JsonNode constraints, int count, List<String> violations) {
        if (constraints.has("min") && count < constraints.get("min").asInt()) {
            violations.add(path + ": fewer elements than the model's minimum "
                    + constraints.get("min").asText());
        }
        if (constraints.has("max") && count > constraints.get("max").asInt()) {
            violations.add(path + ": more elements than the model's maximum "
                    + constraints.get("max").asText());
        }
    }
}
