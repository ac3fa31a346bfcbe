package io.paasbroker.testbed;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Passwords of the fakes' own: their servers' superusers, which nobody outside the test bed knows. */
public final class FakeSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FakeSecrets() {}

    /** 48 hex digits. */
    public static String generate() {
        return generate(24);
    }

    /** Twice {@code bytes} hex digits. */
    public static String generate(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
