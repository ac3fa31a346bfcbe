package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** What a resource type answers a request: a status and body, and the operation that carries it out later, if any. */
public record ArmAnswer(int status, JsonNode body, Optional<ArmOperations.Operation> operation) {

    public static ArmAnswer ok(JsonNode body) {
        return new ArmAnswer(200, body, Optional.empty());
    }

    /** Accepted: {@code operation} carries it out; {@code body} is the resource as it is now, or null. */
    public static ArmAnswer accepted(int status, JsonNode body, ArmOperations.Operation operation) {
        return new ArmAnswer(status, body, Optional.of(operation));
    }
}
