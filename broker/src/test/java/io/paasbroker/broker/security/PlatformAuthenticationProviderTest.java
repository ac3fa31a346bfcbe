package io.paasbroker.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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

    private final CountingEncoder encoder = new CountingEncoder();
    private final PlatformAuthenticationProvider provider = new PlatformAuthenticationProvider(
            List.of(
                    PlatformAuthenticationProvider.Account.platform("cf", encoder.encode("cf-password")),
                    PlatformAuthenticationProvider.Account.platform("k8s", encoder.encode("k8s-password"))),
            encoder);

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
    void anUnknownUserIsRefusedAfterAComparableCheck() {
        int before = encoder.checks.get();

        assertThatThrownBy(() -> provider.authenticate(login("nobody", "cf-password")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(encoder.checks.get()).isEqualTo(before + 1);
    }

    private static UsernamePasswordAuthenticationToken login(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }
}
