package io.paasbroker.broker.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.broker.support.BrokerIT;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EncryptedJdbcCredentialStoreIT extends BrokerIT {

    private final String prefix = "test-" + newId() + "/";

    @AfterEach
    void removeTestSecrets() {
        jdbc.sql("DELETE FROM credentials WHERE ref LIKE ?").param(prefix + "%").update();
    }

    @Test
    void secretsRoundTripWithTheirTypes() {
        EncryptedJdbcCredentialStore store = store(List.of(key("a")), "a");

        store.put(prefix + "one", Map.of("password", "p4ss", "port", 5432, "tls", true));

        assertThat(store.get(prefix + "one")).contains(Map.of("password", "p4ss", "port", 5432, "tls", true));
        assertThat(store.get(prefix + "missing")).isEmpty();
        store.delete(prefix + "one");
        assertThat(store.get(prefix + "one")).isEmpty();
    }

    @Test
    void aWrongKeyIsDetectedAtStart() {
        String id = "k-" + newId().substring(0, 8);
        store(List.of(key(id)), id);

        EncryptedJdbcCredentialStore impostor = new EncryptedJdbcCredentialStore(jdbc, List.of(randomKey(id)), id);

        assertThatThrownBy(impostor::verifyKeys)
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageContaining(id);
    }

    @Test
    void rotationReEncryptsUnderTheActiveKeySoTheOldOneCanGo() {
        String oldId = "old-" + newId().substring(0, 8);
        String newId = "new-" + newId().substring(0, 8);
        EncryptionKey oldKey = key(oldId);
        EncryptionKey newKey = key(newId);
        store(List.of(oldKey), oldId).put(prefix + "rotated", Map.of("password", "before-rotation"));

        EncryptedJdbcCredentialStore both = store(List.of(oldKey, newKey), newId);
        assertThat(both.rotate()).isGreaterThanOrEqualTo(1);

        assertThat(keyIdOf(prefix + "rotated")).isEqualTo(newId);
        EncryptedJdbcCredentialStore onlyNew = store(List.of(newKey), newId);
        assertThat(onlyNew.get(prefix + "rotated")).contains(Map.of("password", "before-rotation"));
    }

    @Test
    void startWithoutAKeyThatStoredSecretsNeedIsRefused() {
        String goneId = "gone-" + newId().substring(0, 8);
        store(List.of(key(goneId)), goneId).put(prefix + "orphan", Map.of("password", "x"));

        EncryptedJdbcCredentialStore without = new EncryptedJdbcCredentialStore(jdbc, List.of(key("other")), "other");

        assertThatThrownBy(without::verifyKeys).hasMessageContaining(goneId);
    }

    @Test
    void aSecretCopiedUnderAnotherRefDoesNotDecrypt() {
        EncryptedJdbcCredentialStore store = store(List.of(key("c")), "c");
        store.put(prefix + "original", Map.of("password", "p"));
        jdbc.sql("INSERT INTO credentials (ref, key_id, nonce, ciphertext)"
                        + " SELECT ?, key_id, nonce, ciphertext FROM credentials WHERE ref = ?")
                .params(prefix + "copy", prefix + "original")
                .update();

        assertThatThrownBy(() -> store.get(prefix + "copy"))
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageNotContaining("p\"");
    }

    @Test
    void keysToStringHidesTheKey() {
        assertThat(key("visible-id").toString()).isEqualTo("EncryptionKey[visible-id]");
    }

    private EncryptedJdbcCredentialStore store(List<EncryptionKey> keys, String active) {
        EncryptedJdbcCredentialStore store = new EncryptedJdbcCredentialStore(jdbc, keys, active);
        store.verifyKeys();
        return store;
    }

    private String keyIdOf(String ref) {
        return jdbc.sql("SELECT key_id FROM credentials WHERE ref = ?")
                .param(ref)
                .query(String.class)
                .single();
    }

    private static final Map<String, EncryptionKey> KEYS = new ConcurrentHashMap<>();

    /** The same key for the same id within this test run, so canaries recorded earlier still match. */
    private static EncryptionKey key(String id) {
        return KEYS.computeIfAbsent(id, EncryptedJdbcCredentialStoreIT::randomKey);
    }

    private static EncryptionKey randomKey(String id) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return EncryptionKey.fromBase64(id, Base64.getEncoder().encodeToString(bytes));
    }
}
