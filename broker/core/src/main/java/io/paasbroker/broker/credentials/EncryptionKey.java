package io.paasbroker.broker.credentials;

import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** An AES-256 key with the id stored beside every ciphertext it made. {@link #toString()} hides the key. */
public record EncryptionKey(String id, SecretKey key) {

    public static EncryptionKey fromBase64(String id, String base64) {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("a credential key needs an id of 1 to 64 characters");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("credential key '" + id + "' is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(
                    "credential key '" + id + "' must be 32 bytes (AES-256), base64-encoded; it has " + bytes.length);
        }
        return new EncryptionKey(id, new SecretKeySpec(bytes, "AES"));
    }

    @Override
    public String toString() {
        return "EncryptionKey[" + id + "]";
    }
}
