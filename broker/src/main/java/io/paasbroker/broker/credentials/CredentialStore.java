package io.paasbroker.broker.credentials;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where every secret the broker hands out or holds lives: binding credentials and provisioners' instance secrets.
 * The broker's tables keep only the reference. Implementations never log or put a secret into an exception.
 */
public interface CredentialStore {

    /** Stores (or replaces) the secret under {@code ref}. */
    void put(String ref, Map<String, Object> secret);

    Optional<Map<String, Object>> get(String ref);

    /** Destroys the secret, every version of it; deleting what is not there is no error. */
    void delete(String ref);

    /** Destroys each of the secrets, like {@link #delete} one by one. */
    default void deleteAll(Collection<String> refs) {
        refs.forEach(this::delete);
    }

    /** Throws {@link CredentialStoreException} when the store cannot be used; for the health endpoint. */
    void check();

    /** What kind of store this is and where, for the health endpoint; no secret. */
    String describe();
}
