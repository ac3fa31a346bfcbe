package io.paasbroker.broker.backup;

import org.springframework.scheduling.annotation.Scheduled;

/** Every replica looks for due scheduled backups now and then; whichever takes the turn runs them. */
public class BackupScheduler {

    private final ScheduledBackups scheduled;

    public BackupScheduler(ScheduledBackups scheduled) {
        this.scheduled = scheduled;
    }

    @Scheduled(
            initialDelayString = "${paasbroker.backups.check-interval:60s}",
            fixedDelayString = "${paasbroker.backups.check-interval:60s}")
    void check() {
        scheduled.runDue();
    }
}
