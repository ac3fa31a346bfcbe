package io.paasbroker.it;

import java.net.URISyntaxException;
import java.nio.file.Path;

final class Catalogs {

    private Catalogs() {}

    /** The file of {@code it-catalog.yml}: one PostgreSQL plan on the server named {@code shared}. */
    static String testCatalog() {
        return file("/it-catalog.yml");
    }

    /** The file of {@code cloud-catalog.yml}: plans {@code small} and {@code large} of the test cloud. */
    static String cloudCatalog() {
        return file("/cloud-catalog.yml");
    }

    private static String file(String resource) {
        try {
            return Path.of(Catalogs.class.getResource(resource).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
