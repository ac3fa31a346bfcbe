package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One AWS service's published API model, as the AWS SDK for JavaScript v2 ships it ({@code apis/<service>-<version>
 * .min.json}): its protocol, version and, per operation, the shape of its input. Shapes refer to each other by name
 * ({@code {"shape": "S2t"}}) or are written inline; {@link #resolve} gives a member's whole shape either way.
 */
public final class ServiceModel {

    /** Where the build puts the models: in this module's jar, so every suite and process using the test bed has them. */
    private static final String RESOURCES = "/aws-models/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JsonNode metadata;
    private final JsonNode operations;
    private final JsonNode shapes;

    private ServiceModel(String name, JsonNode model) {
        this.name = name;
        this.metadata = model.path("metadata");
        this.operations = model.path("operations");
        this.shapes = model.path("shapes");
    }

    /** The model {@code <service>-<apiVersion>.min.json} the build fetched. */
    public static ServiceModel load(String service, String apiVersion) {
        String name = service + "-" + apiVersion;
        try (InputStream model = ServiceModel.class.getResourceAsStream(RESOURCES + name + ".min.json")) {
            if (model == null) {
                throw new IllegalStateException("no AWS API model " + name + ": the test bed's build fetches it");
            }
            return new ServiceModel(name, JSON.readTree(model));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AWS API model " + name, e);
        }
    }

    /** The service and API version, as {@code rds-2014-10-31}. */
    public String name() {
        return name;
    }

    /** {@code query}, {@code rest-xml}, {@code rest-json} or {@code json}. */
    public String protocol() {
        return metadata.path("protocol").asText();
    }

    /** The service's endpoint prefix, which is also its prefix in IAM actions ({@code rds}). */
    public String endpointPrefix() {
        return metadata.path("endpointPrefix").asText();
    }

    /** The service's name in signatures ({@code rds}): its own signing name, or its endpoint prefix. */
    public String signingName() {
        return metadata.path("signingName").asText(endpointPrefix());
    }

    /** What a JSON-protocol request's {@code X-Amz-Target} starts with ({@code secretsmanager}). */
    public String targetPrefix() {
        return metadata.path("targetPrefix").asText();
    }

    /** The JSON protocol's version, in its content type ({@code 1.1}). */
    public String jsonVersion() {
        return metadata.path("jsonVersion").asText();
    }

    public String apiVersion() {
        return metadata.path("apiVersion").asText();
    }

    /** The names of the model's operations. */
    public List<String> operationNames() {
        List<String> names = new ArrayList<>();
        operations.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** How {@code operation} travels over HTTP (REST protocols): its {@code method} and {@code requestUri}. */
    public JsonNode http(String operation) {
        return operations.path(operation).path("http");
    }

    /** The input shape of {@code operation}, resolved; empty when the model has no such operation. */
    public Optional<JsonNode> input(String operation) {
        JsonNode found = operations.get(operation);
        if (found == null) {
            return Optional.empty();
        }
        JsonNode input = found.get("input");
        return Optional.of(input == null ? JSON.createObjectNode().put("type", "structure") : resolve(input));
    }

    /** Whether the structure {@code shape} lists {@code member} among its required members. */
    static boolean requires(JsonNode shape, String member) {
        for (JsonNode required : shape.path("required")) {
            if (required.asText().equals(member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A member's or element's whole shape: the named shape it refers to, with the attributes written beside the
     * reference ({@code locationName}, ...) laid over it. A shape without a type is a string.
     */
    public JsonNode resolve(JsonNode member) {
        ObjectNode resolved = JSON.createObjectNode();
        JsonNode reference = member.get("shape");
        if (reference != null) {
            JsonNode named = shapes.get(reference.asText());
            if (named == null) {
                throw new IllegalStateException(name + ": no shape " + reference.asText());
            }
            resolved.setAll((ObjectNode) resolve(named));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = member.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("shape")) {
                resolved.set(field.getKey(), field.getValue());
            }
        }
        if (!resolved.has("type")) {
            resolved.put("type", "string");
        }
        return resolved;
    }
}
