package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What an application of one service can do with its binding's credentials, and what a hostile tenant would try
 * against another tenant's instance, each through the service's real client.
 */
public interface TenantProbe {

    /** An action with a binding's credentials; it throws when the server refuses. */
    interface Attempt {
        void run() throws Exception;
    }

    String service();

    String plan();

    /**
     * Whether the plan works asynchronously only (a cloud's: RDS takes minutes), so the platform sends
     * {@code accepts_incomplete} and polls; otherwise it waits in the request, as the embedded default allows.
     */
    default boolean asynchronous() {
        return false;
    }

    /**
     * What every bind of the probe sends besides the test's own parameters, asked anew for each binding (Azure
     * Managed Redis: the object id of a new application identity).
     */
    default Map<String, Object> bindParameters() {
        return Map.of();
    }

    /** Whether the plan has read-only bindings; where it has none, a bind asking for one must be refused with 400. */
    default boolean readOnlyBindings() {
        return true;
    }

    /** Prepares the instance's data (for example a table) and writes {@code value}. */
    void write(JsonNode credentials, String value) throws Exception;

    String read(JsonNode credentials) throws Exception;

    boolean canConnect(JsonNode credentials);

    /**
     * Everything tenant {@code intruder} might try on {@code victim}'s instance or the whole server, by name: to
     * connect, list, read, write, delete and wipe its data, and server-wide commands. Each must be refused.
     */
    Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim);
}
