package io.paasbroker.provisioner.host;

import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The master passwords of instances' own databases, in the broker's credential store: made and kept before the
 * database is asked for, so a provision run again after a crash sends the same one, and read back by every later step.
 */
public final class MasterPasswords {

    private static final String PASSWORD = "password";

    private final SecretStore store;

    public MasterPasswords(SecretStore store) {
        this.store = store;
    }

    /** The instance's master password, made now if it has none yet. */
    public String forNew(String instanceId) {
        return forNew(instanceId, Passwords::generate);
    }

    /** The same, made by {@code generator} where the service has a password policy of its own. */
    public String forNew(String instanceId, Supplier<String> generator) {
        String ref = CredentialRefs.master(instanceId);
        return store.get(ref).map(secret -> (String) secret.get(PASSWORD)).orElseGet(() -> {
            String password = generator.get();
            store.put(ref, Map.of(PASSWORD, password));
            return password;
        });
    }

    /** The instance's master password, if the broker keeps one. */
    public Optional<String> find(String instanceId) {
        return store.get(CredentialRefs.master(instanceId)).map(secret -> (String) secret.get(PASSWORD));
    }

    /** The instance's master password, which its provision made. */
    public String of(String instanceId) {
        return find(instanceId)
                .orElseThrow(() -> new ProvisioningFailedException(
                        "the broker keeps no master password for this instance: its provision did not start"));
    }

    /** Forgets it, once the database is gone. */
    public void forget(String instanceId) {
        store.delete(CredentialRefs.master(instanceId));
    }
}
