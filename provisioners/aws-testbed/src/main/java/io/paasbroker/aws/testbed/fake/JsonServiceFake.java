package io.paasbroker.aws.testbed.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.HttpRequest;
import io.paasbroker.aws.testbed.conformance.JsonConformance;
import io.paasbroker.aws.testbed.conformance.RequestGate;
import io.paasbroker.aws.testbed.conformance.RestConformance;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.JsonResponseWriter;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.LoopbackServers;
import io.paasbroker.testbed.Violations;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkPojo;

/**
 * A fake AWS service whose answers are JSON (REST-JSON as OpenSearch Service speaks it, or AWS's JSON protocol as
 * Secrets Manager does) on a loopback port. Every request must be signed (SigV4) and pass the service's conformance
 * gate; one that does not is refused as the service refuses a malformed request, and kept as a violation for the suite
 * to fail on. Answers are written from the SDK's response objects; an {@link AwsFault} a subclass throws is answered as
 * the service's error, and must be one the model lists for the operation, or it is a violation too.
 */
public abstract class JsonServiceFake implements AutoCloseable {

    /**
     * The service's answers to the faults the test bed injects.
     *
     * @param internal its error code for an internal failure (500)
     * @param malformed its error code for a request its model refuses (400)
     * @param throttling its error code for throttling
     * @param throttlingStatus the HTTP status of throttling
     */
    protected record ServiceErrors(String internal, String malformed, String throttling, int throttlingStatus) {}

    private final String service;
    private final String contentType;
    private final RequestGate gate;
    private final SigV4Check signatures;
    private final ServiceErrors errors;
    private final HttpServer server;
    private final Violations violations = new Violations();
    private final PermissionsUsed permissions = new PermissionsUsed();
    private final CallFaults faults = new CallFaults();

    /** A fake of the service {@code model} is of (REST-JSON or JSON), whose full model is {@code full}. */
    protected JsonServiceFake(
            ServiceModel model, FullModel full, ServiceErrors errors, AccessKeys keys, String region) {
        this.service = model.endpointPrefix();
        boolean json = model.protocol().equals("json");
        this.contentType = json ? "application/x-amz-json-" + model.jsonVersion() : "application/json";
        this.gate = json ? new JsonConformance(model, full) : new RestConformance(model, full);
        this.errors = errors;
        this.signatures = new SigV4Check(keys, region, model.signingName());
        this.server = LoopbackServers.start(model.name(), this::exchange);
    }

    /** What the operation the request is answers; {@code key}: the access key that signed it. */
    protected abstract SdkPojo answer(String operation, HttpRequest request, String key);

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What the requests got wrong by the model since the last call, and forgets them. */
    public List<String> takeViolations() {
        return violations.take();
    }

    /** The IAM actions the requests signed by {@code keyId} needed, as {@code es:CreateDomain}. */
    public Set<String> permissionsUsed(String keyId) {
        return permissions.of(keyId);
    }

    /** The faults it injects into well-formed, signed calls: see {@link CallFaults}. */
    public CallFaults faults() {
        return faults;
    }

    /** What the requests each key signed needed, for the parts of a fake that record IAM actions of their own. */
    protected final PermissionsUsed permissions() {
        return permissions;
    }

    /** Records that a request signed by {@code keyId} needs IAM's {@code operation} of this service. */
    protected final void needs(String keyId, String operation) {
        permissions.add(keyId, service + ":" + operation);
    }

    /** Keeps a violation the fake found in what a request asked, beyond what the model says. */
    protected final void finding(String violation) {
        violations.add(violation);
    }

    /** The refusal of a request the fake has no answer for: the suite called what the test bed does not serve. */
    protected final AwsFault notServed(String operation) {
        violations.add(service + ": the fake has no " + operation + " (the suite called it)");
        return new AwsFault(errors.malformed(), 400, "the test bed does not serve " + operation);
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest request = HttpRequest.read(exchange);
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String rawPath = request.rawPath();
            byte[] body = request.body();
            String operation = gate.operationOf(request).orElse(request.method() + " " + rawPath);
            int status = 200;
            byte[] answer;
            try {
                String key = signatures.check(request.method(), rawPath, rawQuery, exchange.getRequestHeaders(), body);
                List<String> wrong = gate.check(request);
                if (!wrong.isEmpty()) {
                    violations.addAll(wrong);
                    throw new AwsFault(errors.malformed(), 400, String.join("; ", wrong));
                }
                CallFaults.Fault injected = faults.next(
                        () -> new AwsFault(errors.internal(), 500, "Internal service error"),
                        () -> new AwsFault(errors.throttling(), errors.throttlingStatus(), "Rate exceeded"));
                answer = JsonResponseWriter.response(answer(operation, request, key));
                needs(key, operation);
                if (injected == CallFaults.Fault.ACT_THEN_RESET) {
                    return; // closing the exchange unanswered closes the connection
                }
            } catch (AwsFault fault) {
                if (!gate.errorCodes(operation).contains(fault.code())) {
                    violations.add(operation + ": the fake answered " + fault.code()
                            + ", an error the model does not list for it");
                }
                exchange.getResponseHeaders().add("x-amzn-ErrorType", fault.code());
                status = fault.status();
                answer = JsonResponseWriter.error(fault.getMessage());
            } catch (RuntimeException e) {
                violations.add(operation + ": the fake failed: " + e);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errors.internal());
                status = 500;
                answer = JsonResponseWriter.error("the test bed failed: " + e.getMessage());
            }
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
