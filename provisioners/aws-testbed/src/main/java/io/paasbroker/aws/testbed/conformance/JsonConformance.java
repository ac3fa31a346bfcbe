package io.paasbroker.aws.testbed.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a request of AWS's JSON protocol (Secrets Manager) against its service's model: a {@code POST /} whose
 * {@code X-Amz-Target} header names one of the model's operations ({@code secretsmanager.GetSecretValue}), whose
 * content type is the model's JSON version ({@code application/x-amz-json-1.1}), and whose body is a JSON object of
 * the operation's input members, as {@link JsonBody} checks it.
 */
public final class JsonConformance implements RequestGate {

    private final ServiceModel model;
    private final FullModel full;
    private final JsonBody body;

    public JsonConformance(ServiceModel model, FullModel full) {
        if (!model.protocol().equals("json")) {
            throw new IllegalArgumentException(model.name() + " speaks " + model.protocol() + ", not AWS's JSON");
        }
        this.model = model;
        this.full = full;
        this.body = new JsonBody(model, full);
    }

    @Override
    public Optional<String> operationOf(HttpRequest request) {
        String target = request.header("x-amz-target");
        String prefix = model.targetPrefix() + ".";
        if (target == null || !target.startsWith(prefix)) {
            return Optional.empty();
        }
        String operation = target.substring(prefix.length());
        return model.input(operation).isPresent() ? Optional.of(operation) : Optional.empty();
    }

    @Override
    public List<String> check(HttpRequest request) {
        Optional<String> found = operationOf(request);
        if (found.isEmpty()) {
            return List.of(model.name() + " has no operation X-Amz-Target: " + request.header("x-amz-target"));
        }
        String operation = found.get();
        List<String> violations = new ArrayList<>();
        if (!request.method().equals("POST")
                || !request.rawPath().equals("/")
                || !request.query().isEmpty()) {
            violations.add(operation + ": sent as " + request.method() + " " + request.rawPath()
                    + ", not POST / with no query");
        }
        String contentType = "application/x-amz-json-" + model.jsonVersion();
        if (!contentType.equals(request.header("content-type"))) {
            violations.add(operation + ": content type " + request.header("content-type") + ", not " + contentType);
        }
        body.check(operation, model.input(operation).orElseThrow(), full.input(operation), request.body(), violations);
        return violations;
    }

    @Override
    public Set<String> errorCodes(String operation) {
        return full.errorCodes(operation);
    }
}
