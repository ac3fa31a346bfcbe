package io.paasbroker.broker.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.support.BrokerIT;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Scheduled backups as the plans say, once per interval, by one replica at a time. */
class ScheduledBackupsIT extends BrokerIT {

    private static final String BACKED_UP = "fake-backed-up";

    @Autowired
    ScheduledBackups scheduled;

    @Autowired
    Backups backups;

    @Autowired
    DataSource dataSource;

    @Test
    void anInstanceOfAPlanWithAScheduleIsBackedUpOncePerInterval() {
        String instance = provisioned(BACKED_UP);
        String unscheduled = provisioned(FAKE_PLAN);

        scheduled.runDue();
        scheduled.runDue();

        assertThat(backups.of(instance)).singleElement().satisfies(backup -> {
            assertThat(backup.kind()).isEqualTo(Kind.SCHEDULED);
            assertThat(backup.expiresAt())
                    .isBetween(
                            Instant.now().plus(Duration.ofHours(23)),
                            Instant.now().plus(Duration.ofHours(25)));
        });
        assertThat(backups.of(unscheduled)).isEmpty();
    }

    @Test
    void whileAnotherReplicaHasTheTurnThisOneTakesNothing() {
        String instance = provisioned(BACKED_UP);

        try (AdvisoryLock.Held otherReplica =
                new AdvisoryLock(dataSource).tryAcquire("scheduled backups").orElseThrow()) {
            assertThat(scheduled.runDue()).isZero();
        }
        assertThat(backups.of(instance)).isEmpty();
        scheduled.runDue();
        assertThat(backups.of(instance)).hasSize(1);
    }

    private String provisioned(String plan) {
        String id = newId();
        assertThat(osb.put(instancePath(id), provision(FAKE_SERVICE, plan, Map.of()))
                        .status())
                .isEqualTo(201);
        return id;
    }
}
