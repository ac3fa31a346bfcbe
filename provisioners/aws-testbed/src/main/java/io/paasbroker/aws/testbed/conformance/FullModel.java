package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's full published model, with what the SDK's minified one leaves out: each member's constraints (enum,
 * length or range, pattern) and each operation's errors. Debian's {@code python3-botocore} ships it
 * ({@code botocore/data/<service>/<version>/service-2.json}); being older than the SDK, it may lack members the SDK
 * sends, which then go unconstrained, never refused for that.
 */
public final class FullModel {

    /** Where Debian's botocore keeps its models; the system property of this name moves it. */
    public static final String DIRECTORY_PROPERTY = "paasbroker.botocore.data";

    private static final Path DEBIAN_DIRECTORY = Path.of("/usr/lib/python3/dist-packages/botocore/data");

    /**
     * The errors every AWS API may answer besides its own (AWS's "common errors", the same for Query and REST APIs),
     * and {@code ValidationError}, which a Query service answers for a request its model refuses.
     */
    private static final Set<String> COMMON_ERRORS = Set.of(
            "AccessDeniedException",
            "IncompleteSignature",
            "InternalFailure",
            "InvalidAction",
            "InvalidClientTokenId",
            "InvalidParameterCombination",
            "InvalidParameterValue",
            "InvalidQueryParameter",
            "MalformedQueryString",
            "MissingAction",
            "MissingAuthenticationToken",
            "MissingParameter",
            "NotAuthorized",
            "OptInRequired",
            "RequestExpired",
            "ServiceUnavailable",
            // not in AWS's list of common errors, but what every Query API answers a wrong signature with
            "SignatureDoesNotMatch",
            // not in it either: what IAM and STS answer a request its signer's policies do not allow
            "AccessDenied",
            "Throttling",
            "ThrottlingException",
            "ValidationError");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode operations;
    private final JsonNode shapes;

    private FullModel(JsonNode model) {
        this.operations = model.path("operations");
        this.shapes = model.path("shapes");
    }

    public static FullModel load(String service, String apiVersion) {
        Path directory = Path.of(System.getProperty(DIRECTORY_PROPERTY, DEBIAN_DIRECTORY.toString()));
        Path file = directory.resolve(service).resolve(apiVersion).resolve("service-2.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no full AWS model at " + file + ": install Debian's python3-botocore"
                    + " (bin/debian-packages --tests), or name its data directory with -D" + DIRECTORY_PROPERTY);
        }
        try {
            return new FullModel(JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AWS model " + file, e);
        }
    }

    /** The input shape of {@code operation}, or a missing node when this model does not know it. */
    JsonNode input(String operation) {
        return shape(operations.path(operation).path("input"));
    }

    /** The shape a reference ({@code {"shape": "Name"}}) names, or a missing node. */
    JsonNode shape(JsonNode reference) {
        return reference.has("shape") ? shapes.path(reference.get("shape").asText()) : reference.path("none");
    }

    /** The error codes {@code operation} may answer: its own, as the model lists them, and the common ones. */
    public Set<String> errorCodes(String operation) {
        Set<String> codes = new TreeSet<>(COMMON_ERRORS);
        for (JsonNode error : operations.path(operation).path("errors")) {
            String name = error.path("shape").asText();
            codes.add(shapes.path(name).path("error").path("code").asText(name));
        }
        return codes;
    }
}
