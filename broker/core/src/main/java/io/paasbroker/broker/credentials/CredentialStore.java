package io.paasbroker.broker.credentials;

import io.paasbroker.broker.state.StateChange;
import io.paasbroker.provisioner.host.SecretStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where every secret the broker hands out or holds lives: binding credentials and provisioners' instance secrets.
 * The broker's tables keep only the reference. Implementations never log or put a secret into an exception.
 */
public interface CredentialStore extends SecretStore {

    /** The secret under {@code ref}; empty for no ref or nothing stored: what a step is handed. */
    default Map<String, Object> stored(String ref) {
        return ref == null ? Map.of() : get(ref).orElse(Map.of());
    }

    /** {@link #stored}, its values as text: a provisioner's instance secrets. */
    default Map<String, String> storedTexts(String ref) {
        Map<String, String> texts = new HashMap<>();
        stored(ref).forEach((key, value) -> texts.put(key, String.valueOf(value)));
        return texts;
    }

    /** Destroys each of the secrets, like {@link #delete} one by one. */
    default void deleteAll(Collection<String> refs) {
        refs.forEach(this::delete);
    }

    /**
     * {@link #put} as a write to the broker's state store, for a store that keeps its secrets there: run in the
     * statement that records an operation's outcome, the secret is stored with that outcome or not at all, and no
     * commit of its own is waited for. Empty for a store elsewhere, which is written with {@link #put} first.
     */
    default Optional<StateChange> putInStateStore(String ref, Map<String, Object> secret) {
        return Optional.empty();
    }

    /** {@link #deleteAll} as a write to the broker's state store, like {@link #putInStateStore}. */
    default Optional<StateChange> deleteInStateStore(Collection<String> refs) {
        return Optional.empty();
    }

    /** Throws {@link CredentialStoreException} when the store cannot be used; for the health endpoint. */
    void check();

    /** What kind of store this is and where, for the health endpoint; no secret. */
    String describe();
}
