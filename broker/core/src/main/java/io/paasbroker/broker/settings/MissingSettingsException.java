package io.paasbroker.broker.settings;

import java.util.List;

/** Settings the broker cannot start without; see {@link RequiredSettings}. */
public class MissingSettingsException extends RuntimeException {

    private final List<String> missing;

    public MissingSettingsException(List<String> missing) {
        super("the broker is not configured: " + String.join("; ", missing));
        this.missing = List.copyOf(missing);
    }

    public List<String> missing() {
        return missing;
    }
}
