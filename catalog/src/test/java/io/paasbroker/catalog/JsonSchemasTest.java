package io.paasbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    private static final Optional<JsonNode> CLOSED_SCHEMA = schema("""
            {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "size_gb": {"type": "integer", "minimum": 1},
                "extensions": {"type": "array", "items": {"type": "string"}}
              }
            }
            """);

    @Test
    void unknownParameterIsReportedByNameWhenTheSchemaForbidsAdditionalProperties() {
        List<String> violations = JsonSchemas.violations(CLOSED_SCHEMA, Map.of("size_gb", 5, "sise_gb", 5));

        assertThat(violations).singleElement().asString().contains("sise_gb").doesNotContain("size_gb");
    }

    @Test
    void parameterOfTheWrongTypeIsReportedByNameAndExpectedType() {
        List<String> violations = JsonSchemas.violations(CLOSED_SCHEMA, Map.of("size_gb", "five"));

        assertThat(violations).singleElement().asString().contains("size_gb").contains("integer");
    }

    @Test
    void everyViolationIsReported() {
        List<String> violations =
                JsonSchemas.violations(CLOSED_SCHEMA, Map.of("size_gb", 0, "extensions", List.of("postgis", 7)));

        assertThat(violations).hasSize(2).anySatisfy(v -> assertThat(v).contains("size_gb"));
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("extensions[1]"));
    }

    @Test
    void validParametersGiveNoViolations() {
        assertThat(JsonSchemas.violations(CLOSED_SCHEMA, Map.of("size_gb", 5, "extensions", List.of("postgis"))))
                .isEmpty();
        assertThat(JsonSchemas.violations(CLOSED_SCHEMA, Map.of())).isEmpty();
        assertThat(JsonSchemas.violations(CLOSED_SCHEMA, null)).isEmpty();
    }

    @Test
    void withoutASchemaEveryParameterIsUnknown() {
        List<String> violations = JsonSchemas.violations(Optional.empty(), Map.of("size_gb", 5, "extensions", "x"));

        assertThat(violations)
                .containsExactly(
                        "$.extensions: the plan accepts no parameter 'extensions'",
                        "$.size_gb: the plan accepts no parameter 'size_gb'");
    }

    @Test
    void withoutASchemaNoParametersIsFine() {
        assertThat(JsonSchemas.violations(Optional.empty(), Map.of())).isEmpty();
        assertThat(JsonSchemas.violations(Optional.empty(), null)).isEmpty();
    }

    @Test
    void schemaNamingDraft07IsReadAsDraft07() {
        // "const" does not exist in draft-04, where it would be ignored
        Optional<JsonNode> draft7 = schema("""
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "properties": {"tier": {"const": "gold"}}}
                """);

        assertThat(JsonSchemas.violations(draft7, Map.of("tier", "silver")))
                .singleElement()
                .asString()
                .contains("tier");
    }

    private static Optional<JsonNode> schema(String json) {
        try {
            return Optional.of(new ObjectMapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
