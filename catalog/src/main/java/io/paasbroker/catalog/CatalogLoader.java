package io.paasbroker.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a catalog from YAML in the OSB catalog's own snake_case vocabulary and validates it. Unknown keys are errors:
 * a misspelt option must stop the broker, not be ignored. So are repeated keys, which YAML would otherwise resolve by
 * silently keeping the last (a second {@code plans:} would drop the first list).
 */
public final class CatalogLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final ObjectReader CATALOG =
            YAML.readerFor(Catalog.class).with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CatalogLoader() {}

    public static Catalog load(InputStream yaml, String source) {
        Catalog catalog = read(yaml, source);
        if (catalog == null) {
            throw new InvalidCatalogException(source, List.of("the file is empty"));
        }
        List<String> problems = CatalogValidator.problems(catalog);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(source, problems);
        }
        return catalog;
    }

    private static Catalog read(InputStream yaml, String source) {
        byte[] text;
        try {
            text = yaml.readAllBytes();
        } catch (IOException e) {
            throw new InvalidCatalogException(source, List.of("cannot be read: " + e.getMessage()));
        }
        try {
            return CATALOG.readValue(text);
        } catch (JsonMappingException e) {
            throw new InvalidCatalogException(source, List.of(entry(text, e) + ": " + reason(e) + line(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidCatalogException(source, List.of(reason(e) + line(e)));
        } catch (IOException e) {
            throw new InvalidCatalogException(source, List.of("cannot be read: " + e.getMessage()));
        }
    }

    /**
     * Where a mapping problem is, in the validator's words ({@code service 'mysql' plan 'small': maintenance_info}):
     * Jackson's path only has list indexes, so the names are looked up in the YAML tree.
     */
    private static String entry(byte[] text, JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (e instanceof UnrecognizedPropertyException && !path.isEmpty()) {
            path = path.subList(0, path.size() - 1); // the reason names the unknown key itself
        }
        List<String> entries = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        JsonNode node = tree(text);
        String field = "";
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                field = step.getFieldName();
                node = node.path(field);
                keys.add(field);
            } else if (field.equals("services") || field.equals("plans")) {
                node = node.path(step.getIndex());
                String name = node.path("name").asText("#" + step.getIndex());
                entries.add((field.equals("services") ? "service '" : "plan '") + name + "'");
                keys.clear();
            } else {
                node = node.path(step.getIndex());
                keys.add("[" + step.getIndex() + "]");
            }
        }
        String entry = entries.isEmpty() ? "catalog" : String.join(" ", entries);
        return keys.isEmpty() ? entry : entry + ": " + String.join(".", keys).replace(".[", "[");
    }

    /** The YAML as a tree (repeated keys allowed), or a missing node where a syntax error keeps it from being read. */
    private static JsonNode tree(byte[] text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + unknown.getPropertyName() + "'";
        }
        // a creator's own message (e.g. an unknown service kind) says more than Jackson's wrapper
        if (e.getCause() instanceof IllegalArgumentException cause) {
            return cause.getMessage();
        }
        return e.getOriginalMessage();
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}
