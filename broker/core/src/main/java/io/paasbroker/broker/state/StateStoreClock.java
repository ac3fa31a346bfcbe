package io.paasbroker.broker.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The state store's time, read on this replica: its clock plus the offset to the state store's, measured once a
 * minute. Times the replicas share (backup expiry and retention, the schedule of backups, when an operation gives
 * up) are compared with timestamps the state store wrote, so a replica whose clock is off neither expires a backup
 * early nor gives an operation up too soon or never. While the state store cannot be asked, the last offset holds.
 */
@Component
public class StateStoreClock extends Clock {

    private static final Logger log = LoggerFactory.getLogger(StateStoreClock.class);
    private static final Duration MEASURED_EVERY = Duration.ofMinutes(1);

    private final Supplier<Instant> stateStoreNow;
    private final Clock replica;
    private volatile Duration offset = Duration.ZERO;
    private volatile Instant measuredAt;

    @Autowired
    public StateStoreClock(JdbcClient jdbc) {
        this(
                () -> jdbc.sql("SELECT clock_timestamp()")
                        .query(java.sql.Timestamp.class)
                        .single()
                        .toInstant(),
                Clock.systemUTC());
    }

    StateStoreClock(Supplier<Instant> stateStoreNow, Clock replica) {
        this.stateStoreNow = stateStoreNow;
        this.replica = replica;
    }

    @Override
    public Instant instant() {
        Instant here = replica.instant();
        if (measuredAt == null || !here.isBefore(measuredAt.plus(MEASURED_EVERY))) {
            measure();
            here = replica.instant();
        }
        return here.plus(offset);
    }

    /** The state store's time minus this replica's, halfway through the question. */
    private void measure() {
        Instant asked = replica.instant();
        try {
            Instant there = stateStoreNow.get();
            Instant answered = replica.instant();
            Instant midway = asked.plus(Duration.between(asked, answered).dividedBy(2));
            offset = Duration.between(midway, there);
        } catch (RuntimeException e) {
            log.warn("Could not read the state store's clock; going on with the last offset: {}", e.getMessage());
        }
        measuredAt = asked;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the state store's clock is UTC");
    }
}
