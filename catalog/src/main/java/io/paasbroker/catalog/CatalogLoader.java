package io.paasbroker.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads a catalog from YAML in the OSB catalog's own snake_case vocabulary and validates it. Unknown keys are errors:
 * a misspelt option must stop the broker, not be ignored.
 */
public final class CatalogLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private CatalogLoader() {}

    public static Catalog load(InputStream yaml, String source) {
        Catalog catalog;
        try {
            catalog = YAML.readValue(yaml, Catalog.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidCatalogException(
                    source, List.of("unknown key '" + e.getPropertyName() + "' at " + path(e.getPathReference())));
        } catch (JsonProcessingException e) {
            throw new InvalidCatalogException(
                    source,
                    List.of(e.getOriginalMessage() + " at "
                            + path(
                                    e.getLocation() == null
                                            ? "?"
                                            : "line " + e.getLocation().getLineNr())));
        } catch (IOException e) {
            throw new InvalidCatalogException(source, List.of("cannot be read: " + e.getMessage()));
        }
        if (catalog == null) {
            throw new InvalidCatalogException(source, List.of("the file is empty"));
        }
        List<String> problems = CatalogValidator.problems(catalog);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(source, problems);
        }
        return catalog;
    }

    private static String path(String jacksonPath) {
        return jacksonPath.replace("io.paasbroker.catalog.", "");
    }
}
