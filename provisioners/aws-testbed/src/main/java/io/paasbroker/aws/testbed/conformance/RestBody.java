package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The protocol's part of the REST gate: which of an operation's input members travel in the body, and how the body
 * must be written (an XML document, a JSON object). Path labels, query parameters and headers are the same in every
 * REST protocol, and {@link RestConformance} checks them.
 */
interface RestBody {

    /**
     * Adds to {@code violations} what is wrong with {@code body} as the body of {@code operation}.
     *
     * @param input the operation's input shape, resolved
     * @param constraints the full model's input shape, or a missing node
     */
    void check(String operation, JsonNode input, JsonNode constraints, byte[] body, List<String> violations);
}
