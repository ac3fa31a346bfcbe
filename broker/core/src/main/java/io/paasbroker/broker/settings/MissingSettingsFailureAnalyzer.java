package io.paasbroker.broker.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports missing settings as a list an operator can work through, without a stack trace. */
public class MissingSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingsException cause) {
        return new FailureAnalysis(
                "The broker is not configured. It needs:\n  - " + String.join("\n  - ", cause.missing()),
                "Set these (see CONFIGURATION.md), or run the standalone artifact, which starts embedded servers for"
                        + " trying the broker out.",
                cause);
    }
}
