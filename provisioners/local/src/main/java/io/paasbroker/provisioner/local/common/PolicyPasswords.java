package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.Passwords;
import java.security.SecureRandom;

/**
 * Passwords that pass the password policies operators commonly set: OpenSearch's security plugin (its default strength
 * score and the usual regular expressions), MySQL's {@code validate_password} at MEDIUM and MariaDB's
 * {@code simple_password_check}, all asking for upper case, lower case, a digit and a special character. The special
 * characters are unreserved in URIs, so the password goes into a {@code uri} as it is.
 */
public final class PolicyPasswords {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SPECIAL = "-._~";

    private PolicyPasswords() {}

    /** 32 letters and digits ({@link Passwords}), then one upper, one lower, one digit and one special character. */
    public static String generate() {
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
