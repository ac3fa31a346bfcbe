package io.paasbroker.provisioner.host;

import java.util.Map;
import java.util.Optional;

/**
 * The broker's credential store as a provisioner's wiring sees it: where it keeps secrets of its own (a shared
 * server's admin password, an access key's secret). Implementations never log or put a secret into an exception.
 */
public interface SecretStore {

    /** Stores (or replaces) the secret under {@code ref}. */
    void put(String ref, Map<String, Object> secret);

    Optional<Map<String, Object>> get(String ref);

    /** Destroys the secret, every version of it; deleting what is not there is no error. */
    void delete(String ref);
}
