package io.paasbroker.it;

import java.net.URISyntaxException;
import java.nio.file.Path;

final class Catalogs {

    private Catalogs() {}

    /** The file of {@code it-catalog.yml}: one PostgreSQL plan on the server named {@code shared}. */
    static String testCatalog() {
        try {
            return Path.of(Catalogs.class.getResource("/it-catalog.yml").toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
