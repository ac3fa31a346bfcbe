package io.paasbroker.provisioner;

import java.security.SecureRandom;

/** Random passwords for the users provisioners create: letters and digits only, so they are safe in any URI. */
public final class Passwords {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Passwords() {}

    /** 32 characters: about 190 bits. */
    public static String generate() {
        char[] password = new char[32];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(password);
    }
}
