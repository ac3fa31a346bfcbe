package io.paasbroker.azure.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of a resource provider's REST API at one api-version, as Azure's specifications publish it: its name
 * ({@code firewallRules.createOrUpdate}: the operation group and the generated client's method), HTTP method, path
 * template ({@code .../flexibleServers/{serverName}/firewallRules/{firewallRuleName}}, each {@code {parameter}} one
 * path segment, literal segments compared ignoring case as ARM does), the shape of its request body, and the query
 * parameters it requires.
 */
public final class ArmOperation {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private final String name;
    private final String provider;
    private final String apiVersion;
    private final String method;
    private final String pathTemplate;
    private final JsonNode body;
    private final boolean bodyRequired;
    private final List<String> requiredQuery;
    private final JsonNode pathConstraints;
    private final Pattern path;
    private final List<String> parameters = new ArrayList<>();

    ArmOperation(String provider, String apiVersion, JsonNode operation) {
        this.name = operation.path("name").asText();
        this.provider = provider;
        this.apiVersion = apiVersion;
        this.method = operation.path("method").asText();
        this.pathTemplate = operation.path("path").asText();
        this.body = operation.get("body");
        this.bodyRequired = operation.path("bodyRequired").asBoolean(false);
        List<String> query = new ArrayList<>();
        operation.path("query").forEach(parameter -> query.add(parameter.asText()));
        this.requiredQuery = List.copyOf(query);
        this.pathConstraints = operation.path("pathParameters");
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(pathTemplate);
        int literal = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(pathTemplate.substring(literal, parameter.start())))
                    .append("([^/]+)");
            parameters.add(parameter.group(1));
            literal = parameter.end();
        }
        regex.append(Pattern.quote(pathTemplate.substring(literal)));
        this.path = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** The operation group and the generated client's method, as {@code servers.createOrUpdate}. */
    public String name() {
        return name;
    }

    /** The resource provider, as {@code Microsoft.DBforPostgreSQL}. */
    public String provider() {
        return provider;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** {@code GET}, {@code PUT}, {@code PATCH}, {@code POST} or {@code DELETE}. */
    public String method() {
        return method;
    }

    /** The path with its {@code {parameters}}, as the specification writes it. */
    public String pathTemplate() {
        return pathTemplate;
    }

    /** The mapper the request body is, as {@code Server}; empty when the operation takes no body or an inline one. */
    public Optional<String> bodyMapper() {
        return body == null
                ? Optional.empty()
                : Optional.ofNullable(body.path("className").textValue());
    }

    /** Whether the operation takes a request body at all. */
    public boolean takesBody() {
        return body != null;
    }

    /** Whether a request without a body is wrong. */
    public boolean bodyRequired() {
        return bodyRequired;
    }

    /** The query parameters every request must carry, {@code api-version} among them. */
    public List<String> requiredQuery() {
        return requiredQuery;
    }

    /** Whether {@code rawPath} (as sent, percent-encoded) is this operation's path template filled in. */
    public boolean matchesPath(String rawPath) {
        return path.matcher(rawPath).matches();
    }

    /** Whether a request of {@code method} to {@code rawPath} is this operation. */
    public boolean matches(String method, String rawPath) {
        return this.method.equalsIgnoreCase(method) && matchesPath(rawPath);
    }

    /** The path parameters of {@code rawPath} by name, decoded; empty when the path is not this operation's. */
    public Map<String, String> pathValues(String rawPath) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher matcher = path.matcher(rawPath);
        if (matcher.matches()) {
            for (int i = 0; i < parameters.size(); i++) {
                values.put(parameters.get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** The shape of the request body, as {@code {"type":"Composite","className":"Server"}}; null when it takes none. */
    JsonNode body() {
        return body;
    }

    /** The constraints of the path parameters that have any, by name ({@code {"serverName":{"MaxLength":63}}}). */
    JsonNode pathConstraints() {
        return pathConstraints;
    }

    /** How many parameters the template has: of two templates a path matches, the one with fewer is meant. */
    int parameterCount() {
        return parameters.size();
    }

    @Override
    public String toString() {
        return name + " (" + method + " " + pathTemplate + ", " + provider + " " + apiVersion + ")";
    }
}
