package io.paasbroker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles the plans' parameter schemas once and validates parameters against them. The OSB spec asks for JSON
 * Schema draft-04; a schema that names draft-06 or draft-07 in {@code $schema} is read as that draft.
 */
public final class JsonSchemas {

    /** Keywords whose value is data, which may be null. */
    private static final Set<String> VALUES = Set.of("default", "const", "enum", "examples");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<JsonNode, JsonSchema> COMPILED = new ConcurrentHashMap<>();

    private JsonSchemas() {}

    /** The reasons a schema is not a valid JSON schema of its draft; empty when it is. */
    static List<String> problemsOfSchema(JsonNode schema) {
        if (!schema.isObject()) {
            return List.of("a JSON schema must be an object");
        }
        SpecVersion.VersionFlag draft;
        try {
            draft = draftOf(schema);
        } catch (RuntimeException e) {
            return List.of("unsupported $schema " + schema.get("$schema"));
        }
        String metaSchema = switch (draft) {
            case V6 -> "classpath:draft-06/schema";
            case V7 -> "classpath:draft-07/schema";
            default -> "classpath:draft-04/schema";
        };
        JsonSchema meta = JsonSchemaFactory.getInstance(draft).getSchema(SchemaLocation.of(metaSchema));
        List<String> problems = new ArrayList<>();
        keysWithoutValue(schema, "$", problems);
        meta.validate(schema).stream().map(ValidationMessage::getMessage).forEach(problems::add);
        return problems;
    }

    /**
     * A key with no value is no schema keyword: in a catalog it is YAML's reading of an unquoted {@code ", "} inside
     * {@code {...}}, which cuts the text before it short. The keywords that may be null ({@code default},
     * {@code const}, the values of an {@code enum}) are values, not schemas, and are left alone.
     */
    private static void keysWithoutValue(JsonNode node, String path, List<String> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                keysWithoutValue(node.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        node.fields().forEachRemaining(field -> {
            String at = path + "." + field.getKey();
            if (VALUES.contains(field.getKey())) {
                return;
            }
            if (field.getValue().isNull()) {
                problems.add(at + ": has no value (a text holding ', ' inside {...} must be quoted)");
            } else {
                keysWithoutValue(field.getValue(), at, problems);
            }
        });
    }

    /**
     * The violations of {@code parameters} against {@code schema}, each naming the offending field; with no schema,
     * every parameter is unknown.
     */
    public static List<String> violations(Optional<JsonNode> schema, Map<String, Object> parameters) {
        Map<String, Object> given = parameters == null ? Map.of() : parameters;
        if (schema.isEmpty()) {
            return given.keySet().stream()
                    .sorted()
                    .map(name -> "$." + name + ": the plan accepts no parameter '" + name + "'")
                    .toList();
        }
        JsonSchema compiled = COMPILED.computeIfAbsent(
                schema.get(), s -> JsonSchemaFactory.getInstance(draftOf(s)).getSchema(s));
        return compiled.validate(JSON.valueToTree(given)).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    private static SpecVersion.VersionFlag draftOf(JsonNode schema) {
        return schema.has("$schema") ? SpecVersionDetector.detect(schema) : SpecVersion.VersionFlag.V4;
    }
}
