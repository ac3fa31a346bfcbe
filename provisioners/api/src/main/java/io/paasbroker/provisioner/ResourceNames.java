package io.paasbroker.provisioner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of backing resources derived from OSB ids, so every step finds what an earlier run of it created. OSB ids
 * may hold characters no server accepts in a name, hence a hash.
 */
public final class ResourceNames {

    private ResourceNames() {}

    /** The first {@code length} hex digits of the SHA-256 of {@code id}. */
    public static String hash(String id, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
