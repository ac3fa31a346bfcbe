package io.paasbroker.broker.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.broker.state.StateChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Secrets as AES-256-GCM ciphertext in the state store, each row with the id of its key and the ref as associated
 * data (a row copied under another ref does not decrypt). Several keys may be configured: one encrypts, the others
 * only decrypt until {@link #rotate()} has re-encrypted their rows.
 */
public class EncryptedJdbcCredentialStore implements CredentialStore {

    private static final Logger log = LoggerFactory.getLogger(EncryptedJdbcCredentialStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CANARY = "paasbroker credential key canary";
    private static final int TAG_BITS = 128;

    private final JdbcClient jdbc;
    private final Map<String, EncryptionKey> keys;
    private final EncryptionKey active;

    public EncryptedJdbcCredentialStore(JdbcClient jdbc, List<EncryptionKey> keys, String activeKeyId) {
        this.jdbc = jdbc;
        this.keys = new LinkedHashMap<>();
        keys.forEach(k -> {
            if (this.keys.put(k.id(), k) != null) {
                throw new IllegalArgumentException("credential key id '" + k.id() + "' is configured twice");
            }
        });
        this.active = this.keys.get(activeKeyId);
        if (active == null) {
            throw new IllegalArgumentException("the active credential key '" + activeKeyId
                    + "' is not among the configured keys " + this.keys.keySet());
        }
    }

    /**
     * Refuses to start with a key that is not the one the stored secrets were encrypted with, or without a key some
     * stored secret needs; records a canary for each new key.
     */
    public void verifyKeys() {
        for (EncryptionKey key : keys.values()) {
            Optional<Sealed> canary = jdbc.sql("SELECT nonce, ciphertext FROM credential_key_canaries WHERE key_id = ?")
                    .param(key.id())
                    .query((row, n) -> new Sealed(row.getBytes("nonce"), row.getBytes("ciphertext")))
                    .optional();
            if (canary.isPresent()) {
                try {
                    decrypt(key, "canary", canary.get());
                } catch (GeneralSecurityException e) {
                    throw new CredentialStoreException("credential key '" + key.id()
                            + "' is not the key it was when the broker first used it: the stored secrets cannot be"
                            + " decrypted with it. Configure the original key under that id.");
                }
            } else {
                Sealed sealed = encrypt(key, "canary", CANARY.getBytes(StandardCharsets.UTF_8));
                jdbc.sql("INSERT INTO credential_key_canaries (key_id, nonce, ciphertext) VALUES (?, ?, ?)"
                                + " ON CONFLICT (key_id) DO NOTHING")
                        .params(key.id(), sealed.nonce(), sealed.ciphertext())
                        .update();
            }
        }
        Set<String> needed = new TreeSet<>(jdbc.sql("SELECT DISTINCT key_id FROM credentials")
                .query(String.class)
                .list());
        needed.removeAll(keys.keySet());
        if (!needed.isEmpty()) {
            throw new CredentialStoreException("stored secrets were encrypted with credential keys " + needed
                    + " that are not configured; configure them (they may stop being active) to start");
        }
    }

    /** Re-encrypts every secret that is not under the active key; returns how many it re-encrypted. */
    public int rotate() {
        List<String> refs = jdbc.sql("SELECT ref FROM credentials WHERE key_id <> ?")
                .param(active.id())
                .query(String.class)
                .list();
        int rotated = 0;
        for (String ref : refs) {
            Optional<Map<String, Object>> secret = get(ref);
            if (secret.isPresent()) {
                put(ref, secret.get());
                rotated++;
            }
        }
        if (rotated > 0) {
            log.info("Re-encrypted {} secrets with credential key '{}'", rotated, active.id());
        }
        return rotated;
    }

    @Override
    public void put(String ref, Map<String, Object> secret) {
        putInStateStore(ref, secret).orElseThrow().run(jdbc);
    }

    @Override
    public Optional<StateChange> putInStateStore(String ref, Map<String, Object> secret) {
        byte[] plaintext;
        try {
            plaintext = JSON.writeValueAsBytes(secret);
        } catch (IOException e) {
            throw new CredentialStoreException("secret " + ref + " cannot be serialized", null);
        }
        Sealed sealed = encrypt(active, ref, plaintext);
        return Optional.of(new StateChange(
                "INSERT INTO credentials (ref, key_id, nonce, ciphertext) SELECT ?, ?, ?, ? WHERE true",
                " ON CONFLICT (ref) DO UPDATE SET key_id = excluded.key_id, nonce = excluded.nonce,"
                        + " ciphertext = excluded.ciphertext, updated_at = now()",
                List.of(ref, active.id(), sealed.nonce(), sealed.ciphertext())));
    }

    @Override
    public Optional<Map<String, Object>> get(String ref) {
        return jdbc.sql("SELECT key_id, nonce, ciphertext FROM credentials WHERE ref = ?")
                .param(ref)
                .query((row, n) -> {
                    String keyId = row.getString("key_id");
                    EncryptionKey key = keys.get(keyId);
                    if (key == null) {
                        throw new CredentialStoreException(
                                "secret " + ref + " is encrypted with credential key '" + keyId + "', not configured");
                    }
                    try {
                        byte[] plaintext =
                                decrypt(key, ref, new Sealed(row.getBytes("nonce"), row.getBytes("ciphertext")));
                        return JSON.readValue(plaintext, new TypeReference<LinkedHashMap<String, Object>>() {});
                    } catch (GeneralSecurityException | IOException e) {
                        throw new CredentialStoreException(
                                "secret " + ref + " does not decrypt with key '" + keyId + "'");
                    }
                })
                .optional()
                .map(m -> (Map<String, Object>) m);
    }

    @Override
    public void delete(String ref) {
        jdbc.sql("DELETE FROM credentials WHERE ref = ?").param(ref).update();
    }

    /** In one statement: a deprovision deletes the secrets of the instance and of all its bindings. */
    @Override
    public void deleteAll(Collection<String> refs) {
        deleteInStateStore(refs).ifPresent(delete -> delete.run(jdbc));
    }

    @Override
    public Optional<StateChange> deleteInStateStore(Collection<String> refs) {
        if (refs.isEmpty()) {
            return Optional.empty();
        }
        String placeholders = String.join(", ", Collections.nCopies(refs.size(), "?"));
        return Optional.of(
                new StateChange("DELETE FROM credentials WHERE ref IN (" + placeholders + ")", "", List.copyOf(refs)));
    }

    @Override
    public void check() {
        jdbc.sql("SELECT count(*) FROM credential_key_canaries")
                .query(Long.class)
                .single();
    }

    @Override
    public String describe() {
        return "encrypted-jdbc, AES-256-GCM, active key '" + active.id() + "' of " + keys.keySet();
    }

    private record Sealed(byte[] nonce, byte[] ciphertext) {}

    private static Sealed encrypt(EncryptionKey key, String ref, byte[] plaintext) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new CredentialStoreException("AES-GCM is not available in this JRE", e);
        }
    }

    private static byte[] decrypt(EncryptionKey key, String ref, Sealed sealed) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, sealed.nonce()));
        cipher.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed.ciphertext());
    }
}
