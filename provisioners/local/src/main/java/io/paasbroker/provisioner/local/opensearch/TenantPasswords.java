package io.paasbroker.provisioner.local.opensearch;

import io.paasbroker.provisioner.Passwords;
import java.security.SecureRandom;

/**
 * Passwords for binding users that pass the security plugin's password checks as operators commonly set them: the
 * default strength score and the usual regular expressions asking for upper case, lower case, a digit and a special
 * character. The special characters are unreserved in URIs, so the password goes into a {@code uri} as it is.
 */
final class TenantPasswords {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SPECIAL = "-._~";

    private TenantPasswords() {}

    /** 32 letters and digits ({@link Passwords}), then one upper, one lower, one digit and one special character. */
    static String generate() {
        return Passwords.generate()
                + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                + pick("abcdefghijklmnopqrstuvwxyz")
                + pick("0123456789")
                + pick(SPECIAL);
    }

    private static char pick(String alphabet) {
        return alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
}
