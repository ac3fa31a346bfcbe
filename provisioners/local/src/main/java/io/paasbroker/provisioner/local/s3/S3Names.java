package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.ResourceNames;
import java.security.SecureRandom;

/** Names and keys of the local S3 server, derived from OSB ids where a retried step must find them again. */
final class S3Names {

    private static final int HASH_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private S3Names() {}

    static String namespace(String instanceId) {
        return "i-" + ResourceNames.hash(instanceId, HASH_LENGTH);
    }

    /** A valid S3 bucket name: lowercase, digits and hyphens, 3 to 63 characters. */
    static String bucket(String instanceId) {
        return "pb-" + ResourceNames.hash(instanceId, HASH_LENGTH);
    }

    /** 20 characters like AWS's: a fixed prefix and 16 random ones (80 bits), so keys never collide in practice. */
    static String accessKeyId() {
        return "PBAK" + random(KEY_ID_ALPHABET, 16);
    }

    /** 40 characters like AWS's secret keys: about 238 bits. */
    static String secretAccessKey() {
        return random(SECRET_ALPHABET, 40);
    }

    private static String random(char[] alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(chars);
    }
}
