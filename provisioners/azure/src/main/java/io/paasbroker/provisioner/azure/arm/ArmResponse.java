package io.paasbroker.provisioner.azure.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What Azure Resource Manager answered a request it accepted: the status, the body ({@code MissingNode} when empty)
 * and, for a request Azure carries out in the background, the long-running operation to poll.
 */
public record ArmResponse(int status, JsonNode body, Optional<LongRunningOperation> operation) {

    /** The body's {@code properties.<name>} as text, when there. */
    public Optional<String> property(String name) {
        JsonNode value = body.path("properties").path(name);
        return value.isValueNode() ? Optional.of(value.asText()) : Optional.empty();
    }
}
