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
 * Checks a platform's basic-auth credentials against password hashes (BCrypt), but only once per password: a
 * verified password is remembered as a SHA-256 digest and later requests compare digests in constant time. A BCrypt
 * check per request would cap the broker at about 15 requests a second on two cores.
 */
public class PlatformAuthenticationProvider implements AuthenticationProvider {

    /** A platform allowed to call the broker, with its password as stored (BCrypt hash or {noop} text). */
    public record Platform(String username, String passwordHash) {
        @Override
        public String toString() {
            return "Platform[" + username + "]";
        }
    }

    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final PasswordEncoder encoder;
    private final String decoyHash;

    public PlatformAuthenticationProvider(List<Platform> platforms, PasswordEncoder encoder) {
        platforms.forEach(p -> hashes.put(p.username(), p.passwordHash()));
        this.encoder = encoder;
        this.decoyHash = encoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        Object credentials = authentication.getCredentials();
        String presented = credentials == null ? "" : credentials.toString();
        String hash = hashes.get(username);
        if (hash == null) {
            // spend the same time as for a known user, so timing does not reveal which usernames exist
            encoder.matches(presented, decoyHash);
            throw new BadCredentialsException("bad credentials");
        }
        byte[] digest = sha256(presented);
        byte[] remembered = verified.get(username);
        if (remembered == null || !MessageDigest.isEqual(remembered, digest)) {
            if (!encoder.matches(presented, hash)) {
                throw new BadCredentialsException("bad credentials");
            }
            verified.put(username, digest);
        }
        return UsernamePasswordAuthenticationToken.authenticated(
                username, null, AuthorityUtils.createAuthorityList("ROLE_PLATFORM"));
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
