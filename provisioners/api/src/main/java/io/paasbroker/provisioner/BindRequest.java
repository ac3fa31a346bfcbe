package io.paasbroker.provisioner;

import java.util.Map;
import java.util.TreeSet;

/**
 * A binding of an instance: its own credentials, created by bind and revoked by unbind. {@code credentials} are those
 * the binding was issued, read back from the credential store for its unbind; empty for a bind.
 */
public record BindRequest(
        InstanceRequest instance, String bindingId, Map<String, Object> parameters, Map<String, Object> credentials) {

    /** Bind parameter: {@code true} asks for credentials that read the instance's data and change nothing. */
    public static final String READ_ONLY = "read_only";

    public BindRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
    }

    /** A binding that has no credentials yet: what a bind asks for. */
    public BindRequest(InstanceRequest instance, String bindingId, Map<String, Object> parameters) {
        this(instance, bindingId, parameters, Map.of());
    }

    /** Whether the bind parameters ask for read-only credentials. */
    public boolean readOnly() {
        Object value = parameters.getOrDefault(READ_ONLY, false);
        if (!(value instanceof Boolean readOnly)) {
            throw new InvalidParametersException("bind parameter '" + READ_ONLY + "' must be true or false");
        }
        return readOnly;
    }

    /** Names the credentials, never their values: requests end up in logs and exceptions. */
    @Override
    public String toString() {
        return "BindRequest[" + bindingId + " of " + instance + ", parameters " + parameters + ", credentials "
                + new TreeSet<>(credentials.keySet()) + "]";
    }
}
