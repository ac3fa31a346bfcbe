package io.paasbroker.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A client guessing passwords is refused after a few tries, while the platform goes on. */
@TestPropertySource(properties = "paasbroker.security.failed-logins-per-minute=3")
class FailedLoginsIT extends BrokerIT {

    @Test
    void aClientOverItsFailedLoginsGets429WithRetryAfterAndTheKnownPlatformStillGetsIn() {
        assertThat(osb.get("/v2/catalog").status()).isEqualTo(200);
        OsbClient guesser = osb.as(USER, "guess");
        for (int i = 0; i < 3; i++) {
            assertThat(guesser.get("/v2/catalog").status()).isEqualTo(401);
        }

        OsbClient.Response refused = osb.as("nobody", "guess").get("/v2/catalog");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).matches("\\d+");
        assertThat(refused.text("description")).contains("too many failed logins");
        assertThat(osb.get("/v2/catalog").status()).isEqualTo(200);
    }
}
