package io.paasbroker.catalog;

import java.util.List;

/** The catalog cannot be served; the message names every offending entry. */
public class InvalidCatalogException extends RuntimeException {

    private final List<String> problems;

    public InvalidCatalogException(String source, List<String> problems) {
        super("invalid catalog " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
