package io.paasbroker.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks the basic-auth credentials of a platform (role PLATFORM, for /v2) or an operator (role OPERATOR, for /admin)
 * against password hashes (BCrypt), but only once per password: a
 * verified password is remembered as a SHA-256 digest and later requests compare digests in constant time. A BCrypt
 * check per request would cap the broker at about 15 requests a second on two cores.
 */
public class PlatformAuthenticationProvider implements AuthenticationProvider {

    public static final String PLATFORM = "PLATFORM";
    public static final String OPERATOR = "OPERATOR";

    /** Who may call the broker, in which role, with the password as stored (BCrypt hash or {noop} text). */
    public record Account(String username, String passwordHash, String role) {

        public static Account platform(String username, String passwordHash) {
            return new Account(username, passwordHash, PLATFORM);
        }

        public static Account operator(String username, String passwordHash) {
            return new Account(username, passwordHash, OPERATOR);
        }

        @Override
        public String toString() {
            return "Account[" + username + " " + role + "]";
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final PasswordEncoder encoder;
    private final String decoyHash;

    /** Of two accounts with one username, the first counts. */
    public PlatformAuthenticationProvider(List<Account> accounts, PasswordEncoder encoder) {
        accounts.forEach(a -> this.accounts.putIfAbsent(a.username(), a));
        this.encoder = encoder;
        this.decoyHash = encoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        Object credentials = authentication.getCredentials();
        String presented = credentials == null ? "" : credentials.toString();
        Account account = accounts.get(username);
        if (account == null) {
            // spend the same time as for a known user, so timing does not reveal which usernames exist
            encoder.matches(presented, decoyHash);
            throw new BadCredentialsException("bad credentials");
        }
        byte[] digest = sha256(presented);
        byte[] remembered = verified.get(username);
        if (remembered == null || !MessageDigest.isEqual(remembered, digest)) {
            if (!encoder.matches(presented, account.passwordHash())) {
                throw new BadCredentialsException("bad credentials");
            }
            verified.put(username, digest);
        }
        return UsernamePasswordAuthenticationToken.authenticated(
                username, null, AuthorityUtils.createAuthorityList("ROLE_" + account.role()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
