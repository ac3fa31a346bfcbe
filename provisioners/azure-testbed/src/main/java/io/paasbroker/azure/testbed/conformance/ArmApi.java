package io.paasbroker.azure.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One resource provider's REST API at one api-version, as one npm package generated from Azure's REST specifications
 * describes it: its operations, and the mappers (body shapes, by className) their request bodies reach.
 *
 * @param npmPackage the package and version the shapes come from, as {@code @azure/arm-storage@19.1.0}
 */
public record ArmApi(
        String provider, String apiVersion, String npmPackage, List<ArmOperation> operations, JsonNode mappers) {

    static ArmApi of(JsonNode file) {
        String provider = file.path("provider").asText();
        String apiVersion = file.path("apiVersion").asText();
        List<ArmOperation> operations = new ArrayList<>();
        file.path("operations").forEach(operation -> operations.add(new ArmOperation(provider, apiVersion, operation)));
        return new ArmApi(
                provider, apiVersion, file.path("package").asText(), List.copyOf(operations), file.path("mappers"));
    }

    /** The operation a request of {@code method} to {@code rawPath} is: of several, the template with fewest parameters. */
    public Optional<ArmOperation> operation(String method, String rawPath) {
        return operations.stream()
                .filter(operation -> operation.matches(method, rawPath))
                .min(Comparator.comparingInt(ArmOperation::parameterCount));
    }

    /** The operations whose path template {@code rawPath} fills in, whatever their method. */
    public List<ArmOperation> operationsAt(String rawPath) {
        return operations.stream()
                .filter(operation -> operation.matchesPath(rawPath))
                .toList();
    }

    /** The mapper named {@code className}, or a missing node. */
    JsonNode mapper(String className) {
        return mappers.path(className);
    }
}
