package io.paasbroker.azure.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Checks a JSON value against a shape of an {@link ArmApi}, as Azure's specifications publish it: a Composite is a JSON
 * object of its properties only (properties the specification flattens, as {@code properties.administratorLogin}, are
 * nested again), none of them read-only (Azure sets those) and the required ones there; a Sequence is an array and a
 * Dictionary an object of values of their element's shape; an Enum one of its allowed values (ignoring case, as the
 * generated clients compare them); a String, Number, Boolean or DateTime a JSON value of that type; each keeping its
 * {@link Constraints}. An extensible enum is a plain String in the shapes, so any string passes it.
 */
final class MapperCheck {

    private final ArmApi api;

    MapperCheck(ArmApi api) {
        this.api = api;
    }

    /** What is wrong with {@code value} at {@code path} (as {@code $.properties}) by {@code shape}. */
    void value(String path, JsonNode shape, JsonNode value, List<String> violations) {
        if (value.isNull()) {
            if (shape.path("required").asBoolean(false)
                    && !shape.path("nullable").asBoolean(false)) {
                violations.add(path + " is required, and null was sent");
            }
            return;
        }
        if (shape.has("constant")) {
            if (!shape.get("constant").equals(value)) {
                violations.add(path + ": " + value + " is not the constant " + shape.get("constant"));
            }
            return;
        }
        String type = shape.path("type").asText();
        switch (type) {
            case "Composite" -> {
                if (value.isObject()) {
                    composite(path, shape, value, violations);
                } else {
                    wrongType(path, type, value, violations);
                }
            }
            case "Sequence" -> {
                if (value.isArray()) {
                    for (int i = 0; i < value.size(); i++) {
                        value(path + "[" + i + "]", shape.path("element"), value.get(i), violations);
                    }
                } else {
                    wrongType(path, type, value, violations);
                }
            }
            case "Dictionary" -> {
                if (value.isObject()) {
                    value.fields()
                            .forEachRemaining(entry -> value(
                                    path + "." + entry.getKey(), shape.path("value"), entry.getValue(), violations));
                } else {
                    wrongType(path, type, value, violations);
                }
            }
            case "Enum" -> enumeration(path, shape, value, violations);
            default -> {
                if (!isOfType(type, value)) {
                    wrongType(path, type, value, violations);
                    return;
                }
            }
        }
        Constraints.check(path, shape.path("constraints"), value, violations);
    }

    /** A named mapper ({@code className}, the subtype its discriminator names if any) or an inline Composite. */
    private void composite(String path, JsonNode shape, JsonNode object, List<String> violations) {
        String className = shape.path("className").asText(null);
        JsonNode definition = className == null ? shape : api.mapper(className);
        if (definition.isMissingNode()) {
            return; // a mapper the shapes lack is the build's fault, not the request's
        }
        String discriminator = definition.path("discriminator").asText(null);
        if (discriminator != null && object.path(discriminator).isTextual()) {
            String subtype = definition
                    .path("subtypes")
                    .path(object.get(discriminator).textValue())
                    .asText(null);
            if (subtype != null && api.mapper(subtype).isObject()) {
                className = subtype;
                definition = api.mapper(subtype);
            }
        }
        JsonNode properties = definition.path("properties");
        JsonNode additional = definition.get("additionalProperties");
        String owner = className == null ? "there" : "of " + className;
        for (Map.Entry<String, JsonNode> field : iterable(object)) {
            String key = field.getKey();
            JsonNode property = properties.get(key);
            String at = path + "." + key;
            if (property == null && additional != null) {
                value(at, additional, field.getValue(), violations);
            } else if (property == null) {
                violations.add(at + " is no property " + owner + " (properties: " + names(properties) + ")");
            } else if (property.path("readOnly").asBoolean(false)) {
                violations.add(at + " is read-only: Azure sets it, a client does not send it");
            } else {
                value(at, property, field.getValue(), violations);
            }
        }
        for (Map.Entry<String, JsonNode> property : iterable(properties)) {
            JsonNode shapeOf = property.getValue();
            if (shapeOf.path("required").asBoolean(false)
                    && !shapeOf.path("readOnly").asBoolean(false)
                    && !object.has(property.getKey())) {
                violations.add(path + "." + property.getKey() + " is required");
            }
        }
    }

    private static void enumeration(String path, JsonNode shape, JsonNode value, List<String> violations) {
        List<String> allowed = new ArrayList<>();
        shape.path("allowedValues").forEach(allowedValue -> allowed.add(allowedValue.asText()));
        if (!value.isTextual() && !value.isNumber()) {
            wrongType(path, "Enum", value, violations);
        } else if (allowed.stream().noneMatch(allowedValue -> allowedValue.equalsIgnoreCase(value.asText()))) {
            violations.add(path + ": " + value + " is not among the allowed values " + allowed);
        }
    }

    private static boolean isOfType(String type, JsonNode value) {
        return switch (type) {
            case "String", "ByteArray", "Base64Url", "TimeSpan" -> value.isTextual();
            case "Number", "UnixTime" -> value.isNumber();
            case "Boolean" -> value.isBoolean();
            case "DateTime" -> value.isTextual() && parses(DateTimeFormatter.ISO_DATE_TIME, value.textValue());
            case "Date" -> value.isTextual() && parses(DateTimeFormatter.ISO_DATE, value.textValue());
            case "DateTimeRfc1123" ->
                value.isTextual() && parses(DateTimeFormatter.RFC_1123_DATE_TIME, value.textValue());
            case "Uuid" -> value.isTextual() && isUuid(value.textValue());
            default -> true; // Object, any: whatever JSON
        };
    }

    private static boolean parses(DateTimeFormatter format, String text) {
        try {
            format.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isUuid(String text) {
        try {
            UUID.fromString(text);
            return text.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void wrongType(String path, String type, JsonNode value, List<String> violations) {
        String sent = value.isTextual()
                ? "'" + value.textValue() + "'"
                : "a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        violations.add(path + ": " + sent + " where the shape has a " + type);
    }

    private static TreeSet<String> names(JsonNode properties) {
        TreeSet<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
