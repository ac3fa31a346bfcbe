package io.paasbroker.provisioner;

import java.util.Map;

/** A binding of an instance: its own credentials, created by bind and revoked by unbind. */
public record BindRequest(InstanceRequest instance, String bindingId, Map<String, Object> parameters) {

    /** Bind parameter: {@code true} asks for credentials that read the instance's data and change nothing. */
    public static final String READ_ONLY = "read_only";

    public BindRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** Whether the bind parameters ask for read-only credentials. */
    public boolean readOnly() {
        Object value = parameters.getOrDefault(READ_ONLY, false);
        if (!(value instanceof Boolean readOnly)) {
            throw new InvalidParametersException("bind parameter '" + READ_ONLY + "' must be true or false");
        }
        return readOnly;
    }
}
