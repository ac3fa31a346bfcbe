package io.paasbroker.azure.testbed.conformance;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The conformance gate of a fake Azure Resource Manager: checks each request the azure provisioner sends against
 * Azure's published REST shapes ({@link ArmShapes}). A request conforms when its path names a resource provider with
 * shapes at its {@code api-version}, its method and path are one of that api-version's operations, its path parameters
 * and required query parameters are there and keep their constraints, and its body is present when the operation
 * requires one, absent when it takes none, and otherwise keeps the operation's body shape ({@link MapperCheck}).
 */
public final class ArmConformance {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Stable api-versions at which Azure's REST specification publishes groups the npm package holds only at older
     * versions, by provider and version: the package's shapes of those groups, at the versions listed, newest first,
     * stand in. Microsoft.DBforMySQL's stable 2023-12-30 has backups, configurations and firewall rules
     * (azure-rest-api-specs, {@code FlexibleServers/stable/2023-12-30}); {@code @azure/arm-mysql-flexible} carries them
     * at previews.
     */
    private static final Map<String, List<String>> GROUPS_PACKAGED_AT =
            Map.of("microsoft.dbformysql@2023-12-30", List.of("2023-10-01-preview", "2023-06-01-preview"));

    private final ArmShapes shapes;

    public ArmConformance(ArmShapes shapes) {
        this.shapes = shapes;
    }

    /** The gate over the shapes the build wrote. */
    public static ArmConformance ofPublishedShapes() {
        return new ArmConformance(ArmShapes.load());
    }

    public ArmShapes shapes() {
        return shapes;
    }

    /** The published operation the request is, at its api-version; empty when Azure publishes none such. */
    public Optional<ArmOperation> operationOf(ArmRequest request) {
        Optional<String> provider = ArmShapes.providerOf(request.rawPath());
        if (request.apiVersion() == null || provider.isEmpty()) {
            return Optional.empty();
        }
        return published(provider.get(), request.apiVersion(), request.method(), request.rawPath())
                .map(Published::operation);
    }

    /** A published operation, and the shapes it is of. */
    private record Published(ArmApi api, ArmOperation operation) {}

    /** The operation at {@code apiVersion}, or where the package holds its group for that version. */
    private Optional<Published> published(String provider, String apiVersion, String method, String rawPath) {
        List<String> versions = new ArrayList<>();
        versions.add(apiVersion);
        versions.addAll(
                GROUPS_PACKAGED_AT.getOrDefault(provider.toLowerCase(Locale.ROOT) + "@" + apiVersion, List.of()));
        for (String version : versions) {
            Optional<Published> found = shapes.api(provider, version)
                    .flatMap(api -> api.operation(method, rawPath).map(operation -> new Published(api, operation)));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** What is wrong with the request by Azure's published shapes, each in a sentence; empty when it conforms. */
    public List<String> check(ArmRequest request) {
        JsonNode body = MissingNode.getInstance();
        if (request.hasBody()) {
            try {
                body = JSON.readTree(request.body());
            } catch (IOException e) {
                body = null;
            }
        }
        return check(request.method(), request.rawPath(), request.query(), request.apiVersion(), body);
    }

    /**
     * What is wrong with a request whose query the caller has read only its {@code api-version} of (null when there is
     * none), and whose body it has parsed ({@code MissingNode} when there is none); its other query parameters are not
     * checked.
     */
    public List<String> check(String method, String rawPath, String apiVersion, JsonNode body) {
        return check(method, rawPath, null, apiVersion, body == null ? MissingNode.getInstance() : body);
    }

    /** {@code query} null: not known; {@code body} null: not JSON. */
    private List<String> check(
            String method, String rawPath, Map<String, List<String>> query, String apiVersion, JsonNode body) {
        String call = method + " " + rawPath;
        Optional<String> provider = ArmShapes.providerOf(rawPath);
        if (provider.isEmpty()) {
            return List.of(call + ": no resource provider in the path (/providers/<namespace>/...)");
        }
        SortedSet<String> versions = shapes.apiVersions(provider.get());
        if (versions.isEmpty()) {
            return List.of(
                    call + ": no published shapes of " + provider.get() + " (there are of " + shapes.providers() + ")");
        }
        if (apiVersion == null) {
            return List.of(call + ": no api-version query parameter (" + provider.get() + " has " + versions + ")");
        }
        Optional<ArmApi> api = shapes.api(provider.get(), apiVersion);
        if (api.isEmpty()) {
            return List.of(call + ": " + provider.get() + " has no published shapes at api-version " + apiVersion
                    + " (it has at " + versions + ")");
        }
        Optional<Published> found = published(provider.get(), apiVersion, method, rawPath);
        if (found.isEmpty()) {
            return List.of(call + ": no operation of " + provider.get() + " at " + apiVersion
                    + " has this method and path" + elsewhere(rawPath));
        }
        ArmOperation operation = found.get().operation();
        List<String> violations = new ArrayList<>();
        if (query != null) {
            for (String parameter : operation.requiredQuery()) {
                if (!query.containsKey(parameter)) {
                    violations.add("the query parameter " + parameter + " is required");
                }
            }
        }
        for (Map.Entry<String, String> parameter : operation.pathValues(rawPath).entrySet()) {
            Constraints.check(
                    "the path parameter " + parameter.getKey(),
                    operation.pathConstraints().path(parameter.getKey()),
                    TextNode.valueOf(parameter.getValue()),
                    violations);
        }
        body(found.get().api(), operation, body, violations);
        return violations.stream()
                .map(violation -> operation.name() + ": " + violation)
                .toList();
    }

    private static void body(ArmApi api, ArmOperation operation, JsonNode body, List<String> violations) {
        boolean sent = body == null || !body.isMissingNode();
        if (!operation.takesBody()) {
            if (sent) {
                violations.add("the operation takes no request body, and one was sent");
            }
            return;
        }
        String what =
                operation.bodyMapper().map(mapper -> " (a " + mapper + ")").orElse("");
        if (body == null) {
            violations.add("the request body is not JSON" + what);
        } else if (!sent || body.isNull()) {
            if (operation.bodyRequired()) {
                violations.add("the request body" + what + " is required" + (sent ? ", and null was sent" : ""));
            }
        } else {
            new MapperCheck(api).value("$", operation.body(), body, violations);
        }
    }

    /** Where the request's path is published with another method or at another api-version, for its message. */
    private String elsewhere(String rawPath) {
        List<String> published = shapes.operationsAt(rawPath).stream()
                .map(operation -> operation.method() + " " + operation.name() + " at " + operation.apiVersion())
                .toList();
        return published.isEmpty() ? "" : " (this path is published as " + String.join(", ", published) + ")";
    }
}
