package io.paasbroker.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class PlatformAuthenticationProviderTest {

    /** Counts the BCrypt checks, which cost tens of milliseconds each. */
    private static final class CountingEncoder implements PasswordEncoder {
        final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    }

    private static final Duration DELAY = Duration.ofMillis(300);

    private final CountingEncoder encoder = new CountingEncoder();
    /** The sleeps failures asked for; the clock stands still, so each is the whole delay. */
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    private final PlatformAuthenticationProvider provider = new PlatformAuthenticationProvider(
            List.of(
                    PlatformAuthenticationProvider.Account.platform("cf", encoder.encode("cf-password")),
                    PlatformAuthenticationProvider.Account.platform("k8s", encoder.encode("k8s-password")),
                    PlatformAuthenticationProvider.Account.platform("plain", "{noop}plain-password")),
            encoder,
            new FailedLogins(DELAY, 3, () -> 0L, sleeps::add));

    @Test
    void everyConfiguredPlatformIsAccepted() {
        assertThat(provider.authenticate(login("cf", "cf-password")).isAuthenticated())
                .isTrue();
        assertThat(provider.authenticate(login("k8s", "k8s-password")).isAuthenticated())
                .isTrue();
    }

    @Test
    void aVerifiedPasswordIsNotHashedAgain() {
        for (int i = 0; i < 100; i++) {
            provider.authenticate(login("cf", "cf-password"));
        }

        assertThat(encoder.checks.get()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsRefusedEvenAfterTheRightOneWasVerified() {
        provider.authenticate(login("cf", "cf-password"));

        assertThatThrownBy(() -> provider.authenticate(login("cf", "cf-password-2")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("cf", "k8s-password")))
                .isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void anUnknownUserAndAWrongPasswordAreRefusedAlikeWithoutASlowHash() {
        provider.authenticate(login("cf", "cf-password"));
        int before = encoder.checks.get();

        assertThatThrownBy(() -> provider.authenticate(login("nobody", "cf-password")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("cf", "guess")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("plain", "guess")))
                .isInstanceOf(BadCredentialsException.class);

        assertThat(encoder.checks.get()).as("hashes checked").isEqualTo(before);
        assertThat(sleeps)
                .as("each failure answered after the same delay")
                .containsExactly(DELAY.toNanos(), DELAY.toNanos(), DELAY.toNanos());
    }

    @Test
    void aPasswordGivenAsTextIsNeverHashed() {
        assertThat(provider.authenticate(login("plain", "plain-password")).isAuthenticated())
                .isTrue();

        assertThat(encoder.checks.get()).isZero();
    }

    @Test
    void aClientOverItsFailedLoginsIsRefusedAtOnceButAKnownPasswordStillLogsIn() {
        provider.authenticate(login("cf", "cf-password"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> provider.authenticate(login("cf", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        int checks = encoder.checks.get();

        assertThatThrownBy(() -> provider.authenticate(login("k8s", "k8s-password")))
                .as("an account not verified yet is not checked for a client over its limit")
                .isInstanceOf(TooManyFailedLoginsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("nobody", "guess")))
                .isInstanceOf(TooManyFailedLoginsException.class);
        assertThat(provider.authenticate(login("cf", "cf-password")).isAuthenticated())
                .isTrue();
        assertThat(encoder.checks.get()).isEqualTo(checks);
        assertThat(sleeps).hasSize(3);
    }

    private static UsernamePasswordAuthenticationToken login(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }
}
