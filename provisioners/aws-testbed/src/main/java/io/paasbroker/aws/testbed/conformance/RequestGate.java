package io.paasbroker.aws.testbed.conformance;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The conformance gate of a service whose requests are HTTP requests of their own (not Query parameters). */
public interface RequestGate {

    /** The model's operation the request is, if any. */
    Optional<String> operationOf(HttpRequest request);

    /** What is wrong with the request by the model, each in a sentence; empty when it conforms. */
    List<String> check(HttpRequest request);

    /** The error codes {@code operation} may answer, by the full model. */
    Set<String> errorCodes(String operation);
}
