package io.paasbroker.broker.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StateStoreClockTest {

    private static final Instant STORE_TIME = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aReplicaWhoseClockIsTenMinutesBehindTellsTheStateStoresTime() {
        MutableClock replica = new MutableClock(STORE_TIME.minus(Duration.ofMinutes(10)));
        StateStoreClock clock = new StateStoreClock(() -> STORE_TIME, replica);

        assertThat(clock.instant()).isEqualTo(STORE_TIME);
        replica.advance(Duration.ofSeconds(30));
        assertThat(clock.instant()).isEqualTo(STORE_TIME.plusSeconds(30));
    }

    @Test
    void theOffsetIsMeasuredAgainAfterAMinuteAndKeptWhileTheStoreCannotBeAsked() {
        MutableClock replica = new MutableClock(STORE_TIME);
        AtomicInteger asked = new AtomicInteger();
        Instant[] store = {STORE_TIME.plusSeconds(5)};
        StateStoreClock clock = new StateStoreClock(
                () -> {
                    asked.incrementAndGet();
                    if (store[0] == null) {
                        throw new IllegalStateException("the state store is away");
                    }
                    return store[0];
                },
                replica);

        assertThat(clock.instant()).isEqualTo(STORE_TIME.plusSeconds(5));
        replica.set(STORE_TIME.plusSeconds(59));
        assertThat(clock.instant()).isEqualTo(STORE_TIME.plusSeconds(64));
        assertThat(asked).hasValue(1);

        store[0] = null;
        replica.set(STORE_TIME.plusSeconds(61));
        assertThat(clock.instant()).as("the last offset holds").isEqualTo(STORE_TIME.plusSeconds(66));
        assertThat(asked).hasValue(2);
    }
}
