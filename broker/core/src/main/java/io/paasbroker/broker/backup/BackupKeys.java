package io.paasbroker.broker.backup;

import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.provisioner.host.ReplicaLock;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The key backups are encrypted with: generated once, by whichever replica comes first, and kept in the credential
 * store ({@code backups/key}), never in the state store or next to the backups.
 */
public final class BackupKeys {

    static final String REF = "backups/key";

    private BackupKeys() {}

    public static BackupCipher cipher(CredentialStore credentials, AdvisoryLock lock) {
        try (ReplicaLock.Held held = lock.acquire("backup key")) {
            Map<String, Object> stored = credentials.get(REF).orElseGet(() -> {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Map<String, Object> created =
                        Map.of("key_id", "b1", "key", Base64.getEncoder().encodeToString(key));
                credentials.put(REF, created);
                return created;
            });
            return new BackupCipher(
                    (String) stored.get("key_id"), Base64.getDecoder().decode((String) stored.get("key")));
        }
    }
}
