package io.paasbroker.provisioner.azure.arm;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Requests to Azure Resource Manager through the Azure SDK's HTTP pipeline (its Entra ID bearer token, its retries of
 * throttled and failed requests, honouring {@code Retry-After}), in ARM's own terms: a resource id, an api-version and
 * a JSON body. The answer of a request Azure carries out in the background names the operation to poll, which
 * {@link #operationState} reads from any replica later.
 *
 * <p>Each failure becomes one of the SPI's: what may pass (429 after the pipeline's retries, 5xx, no answer, 409 of a
 * resource busy with another operation) is worth the step again ({@link BackingServiceUnavailableException}); what
 * Azure refused as asked is an {@link ArmRefusal} with Azure's code and message.
 */
public final class ArmClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpHeaderName ASYNC_OPERATION = HttpHeaderName.fromString("Azure-AsyncOperation");
    /** Azure's codes of a resource busy with another operation: a flexible server's, and Resource Manager's own. */
    private static final Set<String> BUSY = Set.of("ServerBusy", "ServerIsBusy", "AnotherOperationInProgress");

    private final HttpPipeline pipeline;
    private final URI endpoint;

    /** @param endpoint Azure Resource Manager: {@code https://management.azure.com} in Azure's public cloud */
    public ArmClient(HttpPipeline pipeline, URI endpoint) {
        this.pipeline = pipeline;
        this.endpoint = endpoint;
    }

    public ArmResponse get(String resourceId, String apiVersion, String doing) {
        return send(HttpMethod.GET, resourceId, apiVersion, null, doing);
    }

    /** The resource, or none when Azure has no such resource (404). */
    public Optional<ArmResponse> find(String resourceId, String apiVersion, String doing) {
        try {
            return Optional.of(get(resourceId, apiVersion, doing));
        } catch (ArmRefusal e) {
            if (e.is(404)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The items of a collection ({@code value}), every page of it: Azure pages long lists ({@code nextLink}). */
    public List<JsonNode> list(String collectionId, String apiVersion, String doing) {
        List<JsonNode> items = new ArrayList<>();
        ArmResponse page = get(collectionId, apiVersion, doing);
        while (true) {
            page.body().path("value").forEach(items::add);
            String next = page.body().path("nextLink").asText("");
            if (next.isEmpty()) {
                return items;
            }
            page = follow(URI.create(next), doing);
        }
    }

    public ArmResponse put(String resourceId, String apiVersion, JsonNode body, String doing) {
        return send(HttpMethod.PUT, resourceId, apiVersion, body, doing);
    }

    public ArmResponse patch(String resourceId, String apiVersion, JsonNode body, String doing) {
        return send(HttpMethod.PATCH, resourceId, apiVersion, body, doing);
    }

    /** Deletes the resource; one Azure no longer has answers 204 as ARM does. */
    public ArmResponse delete(String resourceId, String apiVersion, String doing) {
        return send(HttpMethod.DELETE, resourceId, apiVersion, null, doing);
    }

    /** An action on a resource: {@code POST <resourceId>/<action>}. */
    public ArmResponse post(String resourceId, String action, String apiVersion, JsonNode body, String doing) {
        return send(HttpMethod.POST, resourceId + "/" + action, apiVersion, body, doing);
    }

    /**
     * Where the long-running operation stands, asked at its {@code Azure-AsyncOperation} URL, or else at its
     * {@code Location} URL; {@code doing} says what the operation does.
     */
    public LongRunningOperation.State operationState(LongRunningOperation operation, String doing) {
        try {
            if (operation.asyncOperation().isPresent()) {
                JsonNode status =
                        follow(operation.asyncOperation().get(), doing).body();
                JsonNode error = status.path("error");
                return new LongRunningOperation.State(
                        LongRunningOperation.Status.of(status.path("status").asText("InProgress")),
                        error.isMissingNode() ? "" : reason(error));
            }
            URI location = operation
                    .location()
                    .orElseThrow(() -> new IllegalArgumentException("an operation with no URL to poll: " + doing));
            return new LongRunningOperation.State(
                    follow(location, doing).status() == 202
                            ? LongRunningOperation.Status.RUNNING
                            : LongRunningOperation.Status.SUCCEEDED,
                    "");
        } catch (ArmRefusal e) {
            if (e.is(404)) {
                // Azure keeps an operation's record for a while only: the resource itself says how it went
                return new LongRunningOperation.State(LongRunningOperation.Status.SUCCEEDED, "");
            }
            // a Location URL answers the operation's failure as the resource's request would have
            return new LongRunningOperation.State(LongRunningOperation.Status.FAILED, e.getMessage());
        }
    }

    private ArmResponse follow(URI url, String doing) {
        if (!url.getScheme().equals("https") || !url.getAuthority().equals(endpoint.getAuthority())) {
            // the bearer token goes to Azure Resource Manager only
            throw new IllegalArgumentException(
                    "a long-running operation's URL is not Azure Resource Manager's: " + url);
        }
        return exchange(new HttpRequest(HttpMethod.GET, url.toString()), "polling Azure while " + doing);
    }

    private ArmResponse send(HttpMethod method, String resourceId, String apiVersion, JsonNode body, String doing) {
        HttpRequest request =
                new HttpRequest(method, endpoint.resolve(resourceId).toString() + "?api-version=" + apiVersion);
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(body.toString());
        }
        return exchange(request, doing);
    }

    private ArmResponse exchange(HttpRequest request, String doing) {
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            int status = response.getStatusCode();
            String text = response.getBodyAsBinaryData().toString();
            JsonNode body = text.isBlank() ? MissingNode.getInstance() : parse(text);
            if (status == 429 || status >= 500 || busy(status, body)) {
                throw new BackingServiceUnavailableException(
                        doing + ": Azure answered " + status + " " + reason(body.path("error")), null);
            }
            if (status >= 400) {
                JsonNode error = body.path("error");
                throw new ArmRefusal(
                        doing,
                        status,
                        error.path("code").asText("HTTP" + status),
                        error.path("message").asText("(no message)"));
            }
            return new ArmResponse(status, body, operation(response));
        } catch (ClientAuthenticationException e) {
            // no token: the broker's identity is not set up, or Entra ID did not answer
            throw new BackingServiceUnavailableException(
                    doing + ": the broker could not get a token for Azure Resource Manager from Entra ID: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        } catch (UncheckedIOException e) {
            throw new BackingServiceUnavailableException(doing + ": Azure did not answer: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException) {
                throw new BackingServiceUnavailableException(
                        doing + ": Azure did not answer: " + e.getCause().getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Whether Azure refused the request as the resource is busy with another operation (a request of the broker's
     * whose answer was lost, say): it takes the request once that is done.
     */
    private static boolean busy(int status, JsonNode body) {
        return status == 409 && BUSY.contains(body.path("error").path("code").asText());
    }

    private static Optional<LongRunningOperation> operation(HttpResponse response) {
        Optional<URI> asyncOperation = header(response, ASYNC_OPERATION).map(URI::create);
        Optional<URI> location = header(response, HttpHeaderName.LOCATION).map(URI::create);
        if (asyncOperation.isEmpty() && location.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LongRunningOperation(asyncOperation, location));
    }

    private static Optional<String> header(HttpResponse response, HttpHeaderName name) {
        return Optional.ofNullable(response.getHeaderValue(name)).filter(value -> !value.isBlank());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            // not JSON: a proxy's page, say; its first line is the reason
            return JSON.createObjectNode()
                    .set(
                            "error",
                            JSON.createObjectNode()
                                    .put("code", "NotJson")
                                    .put(
                                            "message",
                                            text.lines().findFirst().orElse("").strip()));
        }
    }

    /** Azure's error as {@code code: message}. */
    private static String reason(JsonNode error) {
        if (error.isMissingNode()) {
            return "";
        }
        String message = error.path("message").asText("");
        return error.path("code").asText("") + (message.isEmpty() ? "" : ": " + message);
    }
}
