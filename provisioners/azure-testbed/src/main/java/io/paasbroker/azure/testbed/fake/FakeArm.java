package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.LoopbackServers;
import io.paasbroker.testbed.TestBedCertificates;
import io.paasbroker.testbed.Violations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful fake of Azure Resource Manager over HTTPS: every request needs a bearer token the fake Entra ID issued
 * and an {@code api-version}; its body is checked against Azure's published REST shapes ({@link RequestCheck}), what
 * does not conform being a violation answered 400; then it is counted for fault injection ({@link CallFaults}) and
 * routed to the {@link ResourceType} it is for. A request the type carries out later is answered with Azure's
 * long-running operation headers ({@code Azure-AsyncOperation}, {@code Location}, {@code Retry-After}), whose URLs
 * this fake answers as Azure does.
 */
public final class FakeArm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GROUP = Pattern.compile("/subscriptions/([^/]+)/resourceGroups/([^/]+)");
    private static final Pattern RESOURCE = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/([^/]+)/([^/]+)(?:/([^/]+)((?:/[^/]+)*))?");
    private static final Pattern OPERATION = Pattern.compile(
            "/subscriptions/([^/]+)/providers/([^/]+)/locations/([^/]+)/(azureAsyncOperation|operationsStatus|operationResults)/([^/]+)");

    /** Checks a request against Azure's published REST shapes: the violations found, none when it conforms. */
    @FunctionalInterface
    public interface RequestCheck {
        List<String> check(String method, String path, String apiVersion, JsonNode body);
    }

    private final HttpsServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-arm");
        thread.setDaemon(true);
        return thread;
    });
    private final FakeEntraId entraId;
    private final RequestCheck conformance;
    private final Violations violations;
    private final CallFaults faults = new CallFaults();
    private final ArmOperations operations;
    private final Map<String, ArmRequest.ResourceGroup> groups = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> types = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final Set<String> actionsUsed = ConcurrentHashMap.newKeySet();
    /** The requests {@link #faults} counted, in order. */
    private final List<String> counted = new ArrayList<>();

    private volatile int retryAfterSeconds = 1;

    public FakeArm(
            TestBedCertificates certificates,
            FakeEntraId entraId,
            RequestCheck conformance,
            Violations violations,
            Clock clock) {
        this.entraId = entraId;
        this.conformance = conformance;
        this.violations = violations;
        this.operations = new ArmOperations(clock);
        this.server = LoopbackServers.startHttps(
                "Azure Resource Manager", this::handle, certificates.serverSslContext(), handlers);
    }

    /** Azure Resource Manager's endpoint: {@code https://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A resource group the operator made, in {@code location}. */
    public ArmRequest.ResourceGroup addResourceGroup(String subscriptionId, String name, String location) {
        ArmRequest.ResourceGroup group = new ArmRequest.ResourceGroup(subscriptionId, name, location);
        groups.put(group.id().toLowerCase(), group);
        return group;
    }

    public void serve(ResourceType type) {
        types.put(type.type().toLowerCase(), type);
    }

    public ArmOperations operations() {
        return operations;
    }

    /** The faults well-formed, authorized requests meet. */
    public CallFaults faults() {
        return faults;
    }

    /** How many requests it was sent, long-running operations' polls among them. */
    public long requests() {
        return requests.get();
    }

    /** The Azure RBAC actions of the authorized requests it was sent ({@link ArmActions}). */
    public Set<String> actionsUsed() {
        return Set.copyOf(actionsUsed);
    }

    /**
     * The {@code call}-th request {@link #faults} counted (from 1), as {@code <method> <path>}: how a suite tells the
     * calls that write from those that read.
     */
    public String call(long call) {
        synchronized (counted) {
            return counted.get(Math.toIntExact(call - 1));
        }
    }

    /** What {@code Retry-After} says of every long-running operation: how many seconds to wait before polling. */
    public void retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String apiVersion = query.get("api-version");
            byte[] raw = exchange.getRequestBody().readAllBytes();
            try {
                if (!authorized(exchange)) {
                    throw new ArmError(
                            401,
                            "AuthenticationFailed",
                            "Authentication failed. The 'Authorization' header is missing or invalid.");
                }
                ArmActions.of(method, path).ifPresent(actionsUsed::add);
                if (apiVersion == null) {
                    throw new ArmError(
                            400,
                            "MissingApiVersionParameter",
                            "The api-version query parameter (?api-version=) is required for all requests.");
                }
                Matcher operation = OPERATION.matcher(path);
                if (operation.matches() && method.equals("GET")) {
                    answerOperation(exchange, operation.group(4), operation.group(5));
                    return;
                }
                JsonNode body = raw.length == 0 ? MissingNode.getInstance() : parse(raw);
                // a resource group's read is Microsoft.Resources', whose shapes the gate does not hold; it has no body
                List<String> found = GROUP.matcher(path).matches() && method.equals("GET")
                        ? List.of()
                        : conformance.check(method, path, apiVersion, body);
                if (!found.isEmpty()) {
                    found.forEach(violation -> violations.add(method + " " + path + ": " + violation));
                    throw new ArmError(400, "InvalidRequestContent", String.join("; ", found));
                }
                CallFaults.Fault fault;
                synchronized (counted) {
                    counted.add(method + " " + path);
                    fault = faults.next(
                            () -> new ArmError(500, "InternalServerError", "An internal server error occurred."),
                            () -> new ArmError(429, "TooManyRequests", "The request is being throttled."));
                }
                ArmAnswer answer = route(method, path, apiVersion, body);
                if (fault == CallFaults.Fault.ACT_THEN_RESET) {
                    throw new CallFaults.AnswerLost();
                }
                answer.operation().ifPresent(running -> operationHeaders(exchange, running, apiVersion));
                send(exchange, answer.status(), answer.body());
            } catch (ArmError e) {
                if (e.status() == 429) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                }
                send(exchange, e.status(), error(e));
            }
        } catch (CallFaults.AnswerLost e) {
            // the exchange closes with no answer
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null
                && header.startsWith("Bearer ")
                && entraId.holder(header.substring("Bearer ".length())).isPresent();
    }

    private ArmAnswer route(String method, String path, String apiVersion, JsonNode body) {
        Matcher resource = RESOURCE.matcher(path);
        if (resource.matches()) {
            ArmRequest.ResourceGroup group = group(resource.group(1), resource.group(2));
            String type = resource.group(3) + "/" + resource.group(4);
            ResourceType served = types.get(type.toLowerCase());
            if (served == null) {
                throw new ArmError(
                        404,
                        "NoRegisteredProviderFound",
                        "No registered resource provider found for type '" + type + "'.");
            }
            String name = resource.group(5) == null ? "" : decode(resource.group(5));
            List<String> children =
                    resource.group(6) == null || resource.group(6).isEmpty()
                            ? List.of()
                            : Arrays.stream(resource.group(6).substring(1).split("/"))
                                    .map(FakeArm::decode)
                                    .toList();
            return served.handle(new ArmRequest(
                    method, group, name, children, body, apiVersion, group.id() + "/providers/" + type + "/" + name));
        }
        Matcher groupPath = GROUP.matcher(path);
        if (groupPath.matches() && method.equals("GET")) {
            ArmRequest.ResourceGroup group = group(groupPath.group(1), groupPath.group(2));
            ObjectNode answer = JSON.createObjectNode()
                    .put("id", group.id())
                    .put("name", group.name())
                    .put("location", group.location());
            answer.putObject("properties").put("provisioningState", "Succeeded");
            return ArmAnswer.ok(answer);
        }
        throw new ArmError(404, "InvalidResourceType", "The resource path '" + path + "' is not served.");
    }

    private ArmRequest.ResourceGroup group(String subscriptionId, String name) {
        ArmRequest.ResourceGroup group =
                groups.get(("/subscriptions/" + subscriptionId + "/resourceGroups/" + name).toLowerCase());
        if (group == null) {
            throw new ArmError(404, "ResourceGroupNotFound", "Resource group '" + name + "' could not be found.");
        }
        return group;
    }

    private void operationHeaders(HttpExchange exchange, ArmOperations.Operation operation, String apiVersion) {
        String base = endpoint() + "/subscriptions/" + operation.subscriptionId() + "/providers/"
                + operation.namespace() + "/locations/" + operation.location();
        // Microsoft.Cache names its status resource operationsStatus (and its RBAC action after it)
        String status =
                operation.namespace().equalsIgnoreCase("Microsoft.Cache") ? "operationsStatus" : "azureAsyncOperation";
        exchange.getResponseHeaders()
                .set("Azure-AsyncOperation", base + "/" + status + "/" + operation.id() + "?api-version=" + apiVersion);
        exchange.getResponseHeaders()
                .set("Location", base + "/operationResults/" + operation.id() + "?api-version=" + apiVersion);
        exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** An operation's status ({@code azureAsyncOperation}, {@code operationsStatus}) or its result ({@code operationResults}). */
    private void answerOperation(HttpExchange exchange, String kind, String id) throws IOException {
        ArmOperations.Operation operation = operations
                .find(id)
                .orElseThrow(() -> new ArmError(404, "OperationNotFound", "The operation '" + id + "' was not found."));
        if (!kind.equals("operationResults")) {
            ObjectNode status = JSON.createObjectNode()
                    .put("name", operation.id())
                    .put("status", operation.status())
                    .put("startTime", operation.started().toString());
            operation.ended().ifPresent(ended -> status.put("endTime", ended.toString()));
            operation.error().ifPresent(e -> status.set("error", error(e).get("error")));
            if (operation.running()) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
            }
            send(exchange, 200, status);
            return;
        }
        if (operation.running()) {
            exchange.getResponseHeaders()
                    .set("Location", endpoint() + exchange.getRequestURI().toString());
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
            send(exchange, 202, MissingNode.getInstance());
            return;
        }
        if (operation.error().isPresent()) {
            throw operation.error().get();
        }
        Optional<JsonNode> result = operation.result();
        send(exchange, result.isPresent() ? 200 : 204, result.orElse(MissingNode.getInstance()));
    }

    private static ObjectNode error(ArmError e) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("error").put("code", e.code()).put("message", e.getMessage());
        return answer;
    }

    private static JsonNode parse(byte[] raw) {
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            throw new ArmError(
                    400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new java.util.TreeMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
                }
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null || body.isMissingNode()) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        operations.close();
    }
}
