package io.paasbroker.provisioner;

import java.util.Map;

/** A binding of an instance: its own credentials, created by bind and revoked by unbind. */
public record BindRequest(InstanceRequest instance, String bindingId, Map<String, Object> parameters) {

    public BindRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
