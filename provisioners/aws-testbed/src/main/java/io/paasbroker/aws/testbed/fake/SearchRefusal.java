package io.paasbroker.aws.testbed.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A request to a domain refused before it reaches the node: its status and JSON body, as AWS or OpenSearch word it. */
final class SearchRefusal extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final byte[] body;

    private SearchRefusal(int status, Object body) {
        super(null, null, false, false);
        this.status = status;
        try {
            this.body = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a refusal", e);
        }
    }

    /** As AWS's front of the domain refuses: {@code {"<field>": "<message>"}} ({@code message} or {@code Message}). */
    static SearchRefusal byAws(int status, String field, String message) {
        return new SearchRefusal(status, Map.of(field, message));
    }

    /** As OpenSearch refuses: an error of {@code type} for {@code reason}, its own root cause. */
    static SearchRefusal byOpenSearch(int status, String type, String reason) {
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode error = answer.putObject("error");
        error.putArray("root_cause").addObject().put("type", type).put("reason", reason);
        error.put("type", type).put("reason", reason);
        answer.put("status", status);
        return new SearchRefusal(status, answer);
    }

    int status() {
        return status;
    }

    byte[] body() {
        return body.clone();
    }
}
