package io.paasbroker.provisioner.azure;

import io.paasbroker.provisioner.Passwords;

/**
 * Administrator passwords Azure accepts: characters of three of its four classes (upper case, lower case, digits,
 * symbols); the broker's passwords are letters and digits, so each has all three of those.
 */
public final class AzurePasswords {

    private AzurePasswords() {}

    public static String generate() {
        String password = Passwords.generate();
        while (!(password.chars().anyMatch(Character::isUpperCase)
                && password.chars().anyMatch(Character::isLowerCase)
                && password.chars().anyMatch(Character::isDigit))) {
            password = Passwords.generate();
        }
        return password;
    }
}
