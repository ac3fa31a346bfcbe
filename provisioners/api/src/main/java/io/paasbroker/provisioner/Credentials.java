package io.paasbroker.provisioner;

import java.util.Map;

/**
 * What an application needs to use its binding, in Cloud Foundry's conventions ({@code uri}, {@code hostname},
 * {@code port}, {@code username}, {@code password}, ...). Never logged: {@link #toString()} hides the values.
 */
public record Credentials(Map<String, Object> values) {

    public Credentials {
        values = Map.copyOf(values);
    }

    @Override
    public String toString() {
        return "Credentials" + values.keySet();
    }
}
