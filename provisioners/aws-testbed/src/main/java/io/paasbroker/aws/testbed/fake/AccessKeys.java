package io.paasbroker.aws.testbed.fake;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys the test bed's fakes know, by id, with their secrets: whose signatures they accept. A test bed has one
 * key of its own to start with, as an account has its first user's.
 */
public final class AccessKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** One key: its id ({@code AKIA...}) and secret. */
    public record Key(String id, String secret) {

        /** Names the id only: keys end up in messages. */
        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /** Temporary credentials (STS's): a key, the session token that goes with it, and when they stop working. */
    public record Session(Key key, String token, Instant expiration) {

        @Override
        public String toString() {
            return "Session[" + key.id() + " until " + expiration + "]";
        }
    }

    /** A key's secret, when it works, and its session token if it is temporary. */
    private record Known(String secret, Instant validFrom, Instant expiration, String token) {}

    private final Map<String, Known> secrets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Key first;

    private AccessKeys(Clock clock) {
        this.clock = clock;
        this.first = issue();
    }

    /** A new set of keys, holding one new key. */
    public static AccessKeys withFirstKey() {
        return withFirstKey(Clock.systemUTC());
    }

    /** A new set of keys, holding one new key; {@code clock} tells whether a key issued for later works yet. */
    public static AccessKeys withFirstKey(Clock clock) {
        return new AccessKeys(clock);
    }

    /** The key the set was made with. */
    public Key first() {
        return first;
    }

    /** A new key, known from now on: an id as AWS forms them (20 characters, {@code AKIA} first) and a secret of 40. */
    public Key issue() {
        return issue(Instant.MIN);
    }

    /** A new key that works from {@code validFrom} on (IAM's keys take a while to reach every service). */
    public Key issue(Instant validFrom) {
        Key key = newKey("AKIA");
        secrets.put(key.id(), new Known(key.secret(), validFrom, Instant.MAX, null));
        return key;
    }

    /** Temporary credentials ({@code ASIA...} and a session token), working at once and until {@code expiration}. */
    public Session issueSession(Instant expiration) {
        Key key = newKey("ASIA");
        byte[] token = new byte[96];
        RANDOM.nextBytes(token);
        Session session = new Session(key, Base64.getEncoder().encodeToString(token), expiration);
        secrets.put(key.id(), new Known(key.secret(), Instant.MIN, expiration, session.token()));
        return session;
    }

    private static Key newKey(String kind) {
        StringBuilder id = new StringBuilder(kind);
        while (id.length() < 20) {
            id.append(DIGITS.charAt(RANDOM.nextInt(DIGITS.length())));
        }
        byte[] secret = new byte[30];
        RANDOM.nextBytes(secret);
        return new Key(id.toString(), Base64.getEncoder().encodeToString(secret));
    }

    /** Forgets the key: its signatures are refused from now on. */
    public void revoke(String id) {
        secrets.remove(id);
    }

    /** The key's secret, while the key works. */
    Optional<String> secretOf(String id) {
        Instant now = clock.instant();
        return Optional.ofNullable(secrets.get(id))
                .filter(known -> !now.isBefore(known.validFrom()) && now.isBefore(known.expiration()))
                .map(Known::secret);
    }

    /** The session token a temporary key must be sent with; none for a long-term key. */
    Optional<String> sessionTokenOf(String id) {
        return Optional.ofNullable(secrets.get(id)).map(Known::token);
    }
}
