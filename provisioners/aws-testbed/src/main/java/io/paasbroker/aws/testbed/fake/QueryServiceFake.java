package io.paasbroker.aws.testbed.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.QueryConformance;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import io.paasbroker.aws.testbed.wire.QueryResponseWriter;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.LoopbackServers;
import io.paasbroker.testbed.Violations;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkPojo;

/**
 * A fake AWS service of the Query protocol on a loopback port. Every request must be signed (SigV4) and pass the
 * conformance gate against the service's published model; one that does not is answered as AWS answers a malformed
 * request, and its violations are kept for the suite to fail on ({@link #takeViolations()}). Each action is a handler
 * from the request's parameters to the SDK's result object; a handler refuses with an {@link AwsFault}, whose code
 * must be one the full model lists for the action (or one of AWS's common errors), or it is kept as a violation too.
 */
public class QueryServiceFake implements AutoCloseable {

    private final ServiceModel model;
    private final String xmlNamespace;
    private final QueryConformance gate;
    private final SigV4Check signatures;
    private final String region;
    private final Map<String, Function<Map<String, String>, SdkPojo>> handlers = new ConcurrentHashMap<>();
    private final Set<String> needingNoPermission = ConcurrentHashMap.newKeySet();
    private final Violations violations = new Violations();
    private final PermissionsUsed permissions = new PermissionsUsed();
    /** The access key of the request being answered, for {@link #alsoNeeds}. */
    private final ThreadLocal<String> signer = new ThreadLocal<>();

    private final CallFaults faults = new CallFaults();
    private final HttpServer server;

    /**
     * @param keys the access keys whose signatures it accepts
     * @param region the region it serves, which signatures must be scoped to
     */
    protected QueryServiceFake(
            ServiceModel model, FullModel full, String xmlNamespace, AccessKeys keys, String region) {
        this.model = model;
        this.xmlNamespace = xmlNamespace;
        this.gate = new QueryConformance(model, full);
        this.signatures = new SigV4Check(keys, region, model.signingName());
        this.region = region;
        this.server = LoopbackServers.start(model.name(), this::exchange);
    }

    /** The action's handler: from the request's parameters to the result the service answers. */
    protected final void on(String action, Function<Map<String, String>, SdkPojo> handler) {
        handlers.put(action, handler);
    }

    /** The same, of an action IAM never refuses ({@code sts:GetCallerIdentity}): no policy needs to allow it. */
    protected final void onNeedingNoPermission(String action, Function<Map<String, String>, SdkPojo> handler) {
        needingNoPermission.add(action);
        on(action, handler);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An SDK client of this fake from {@code builder} (the service's), signing with {@code key}. */
    protected final <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            B builder, AccessKeys.Key key) {
        return FakeClients.of(builder, endpoint(), region, key);
    }

    /**
     * What the requests got wrong by the model since the last call, and forgets them: a suite that sent a wrong one
     * fails on it.
     */
    public List<String> takeViolations() {
        return violations.take();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            Map<String, String> parameters = QueryRequestReader.parameters(new String(request, StandardCharsets.UTF_8));
            String action = parameters.getOrDefault("Action", "");
            byte[] body;
            int status;
            try {
                body = QueryResponseWriter.response(
                        action, xmlNamespace, answer(exchange, request, action, parameters));
                status = 200;
            } catch (CallFaults.AnswerLost lost) {
                return; // closing the exchange unanswered closes the connection
            } catch (AwsFault fault) {
                if (!gate.errorCodes(action).contains(fault.code())) {
                    violations.add(action + ": the fake answered " + fault.code()
                            + ", an error the model does not list for it");
                }
                body = QueryResponseWriter.error(fault.code(), fault.getMessage(), fault.senderFault());
                status = fault.status();
            } catch (RuntimeException e) {
                // the fake itself broke: AWS's answer to that, and a finding that fails the suite
                violations.add(action + ": the fake failed: " + e);
                body = QueryResponseWriter.error("InternalFailure", "the test bed failed: " + e.getMessage(), false);
                status = 500;
            }
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private SdkPojo answer(HttpExchange exchange, byte[] request, String action, Map<String, String> parameters) {
        String key = signatures.check(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(),
                request);
        List<String> wrong = gate.check(parameters);
        if (!wrong.isEmpty()) {
            violations.addAll(wrong);
            throw new AwsFault("ValidationError", 400, String.join("; ", wrong));
        }
        authorize(key, action, parameters);
        Function<Map<String, String>, SdkPojo> handler = handlers.get(action);
        if (handler == null) {
            violations.add(model.name() + ": the fake has no " + action + " (the suite called it)");
            throw new AwsFault("InvalidAction", 400, "The action " + action + " is not valid for this web service.");
        }
        CallFaults.Fault fault = faults.next(
                () -> new AwsFault(
                        "InternalFailure", 500, "The request processing has failed because of an unknown error."),
                () -> new AwsFault("Throttling", 400, "Rate exceeded"));
        signer.set(key);
        SdkPojo answer;
        try {
            answer = handler.apply(parameters);
        } finally {
            signer.remove();
        }
        if (!needingNoPermission.contains(action)) {
            needs(key, action);
        }
        if (fault == CallFaults.Fault.ACT_THEN_RESET) {
            throw new CallFaults.AnswerLost();
        }
        return answer;
    }

    /**
     * Refuses a request its signer may not make; every signer may by default, as the account's own key may. A fake
     * whose keys belong to principals with policies overrides it.
     */
    protected void authorize(String keyId, String action, Map<String, String> parameters) {}

    /** The faults it injects: see {@link CallFaults}. */
    public CallFaults faults() {
        return faults;
    }

    /**
     * The IAM actions the requests signed by {@code keyId} it answered needed, as {@code rds:CreateDBInstance}: each
     * action called, and those a handler said its request needs besides ({@link #alsoNeeds}).
     */
    public Set<String> permissionsUsed(String keyId) {
        return permissions.of(keyId);
    }

    /** The id of the key that signed the request being answered. */
    protected final String signer() {
        return signer.get();
    }

    /** Records that the request being answered needs IAM's {@code action} too (tags on a create need AddTags...). */
    protected final void alsoNeeds(String action) {
        needs(signer.get(), action);
    }

    /** The same, of another service's IAM actions ({@code secretsmanager:CreateSecret} for RDS). */
    protected final void alsoNeeds(String service, String action) {
        permissions.add(signer.get(), service + ":" + action);
    }

    private void needs(String keyId, String action) {
        permissions.add(keyId, iamPrefix() + ":" + action);
    }

    /** The service's prefix in IAM actions: its endpoint prefix ({@code rds}, {@code elasticache}, {@code iam}). */
    private String iamPrefix() {
        return model.endpointPrefix();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
