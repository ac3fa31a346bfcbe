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
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks the basic-auth credentials of a platform (role PLATFORM, for /v2) or an operator (role OPERATOR, for /admin)
 * against password hashes (BCrypt), but only once per password: a verified password is remembered as a SHA-256 digest
 * and later requests compare digests in constant time. A BCrypt check per request would cap the broker at about 15
 * requests a second on two cores, and let anyone spend its CPU.
 */
public class PlatformAuthenticationProvider implements AuthenticationProvider {

    public static final String PLATFORM = "PLATFORM";
    public static final String OPERATOR = "OPERATOR";

    private static final String NOOP = "{noop}";

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
    private final FailedLogins failedLogins;
    /** What an unknown user's password is compared with, so its check takes the path of a known user's. */
    private final byte[] nobodysDigest = sha256(UUID.randomUUID().toString());

    /**
     * Of two accounts with one username, the first counts. A password given as text ({@code {noop}}) is digested
     * here, so it is never hashed slowly at all.
     */
    public PlatformAuthenticationProvider(List<Account> accounts, PasswordEncoder encoder, FailedLogins failedLogins) {
        accounts.forEach(a -> this.accounts.putIfAbsent(a.username(), a));
        this.accounts.values().stream()
                .filter(a -> a.passwordHash().startsWith(NOOP))
                .forEach(a -> verified.put(a.username(), sha256(a.passwordHash().substring(NOOP.length()))));
        this.encoder = encoder;
        this.failedLogins = failedLogins;
    }

    /**
     * A known password is compared as a digest, in constant time; a hash is checked only for an account whose
     * password has not been seen since the broker started, and never for an unknown user or a client over its limit
     * of failures. Every failure is answered after the same delay ({@link FailedLogins}).
     */
    @Override
    public Authentication authenticate(Authentication authentication) {
        long started = failedLogins.now();
        String client = client(authentication);
        String username = authentication.getName();
        Object credentials = authentication.getCredentials();
        String presented = credentials == null ? "" : credentials.toString();
        byte[] digest = sha256(presented);
        Account account = accounts.get(username);
        byte[] remembered = account == null ? nobodysDigest : verified.get(username);
        if (remembered != null) {
            if (MessageDigest.isEqual(remembered, digest) && account != null) {
                return authenticated(account);
            }
        } else if (!failedLogins.limited(client) && encoder.matches(presented, account.passwordHash())) {
            verified.put(username, digest);
            return authenticated(account);
        }
        if (failedLogins.limited(client)) {
            throw new TooManyFailedLoginsException(failedLogins.retryAfterSeconds(client));
        }
        failedLogins.failed(client, started);
        throw new BadCredentialsException("bad credentials");
    }

    /** How many platform accounts may call /v2. */
    public long platformCount() {
        return accounts.values().stream().filter(a -> a.role().equals(PLATFORM)).count();
    }

    private static Authentication authenticated(Account account) {
        return UsernamePasswordAuthenticationToken.authenticated(
                account.username(), null, AuthorityUtils.createAuthorityList("ROLE_" + account.role()));
    }

    /** The caller's address, as the web details of the login have it. */
    private static String client(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                ? String.valueOf(details.getRemoteAddress())
                : "unknown";
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
