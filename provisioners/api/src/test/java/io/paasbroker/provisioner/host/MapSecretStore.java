package io.paasbroker.provisioner.host;

import java.util.Map;
import java.util.Optional;

/** A credential store of a test's own, over a map the test can look into. */
public record MapSecretStore(Map<String, Map<String, Object>> secrets) implements SecretStore {

    @Override
    public void put(String ref, Map<String, Object> secret) {
        secrets.put(ref, Map.copyOf(secret));
    }

    @Override
    public Optional<Map<String, Object>> get(String ref) {
        return Optional.ofNullable(secrets.get(ref));
    }

    @Override
    public void delete(String ref) {
        secrets.remove(ref);
    }
}
