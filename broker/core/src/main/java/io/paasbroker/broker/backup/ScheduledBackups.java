package io.paasbroker.broker.backup;

import io.paasbroker.broker.backup.BackupParameters.Schedule;
import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.backup.BackupRecord.State;
import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.state.ContextLabels;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.host.ReplicaLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduled backups that are due and deletes the backups whose retention ended. One replica at a time does
 * it (the others find the lock taken and skip their turn); a backup that failed is tried again after {@link #RETRY}
 * or its interval, whichever is shorter, not at every check.
 */
public class ScheduledBackups {

    static final Duration RETRY = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(ScheduledBackups.class);

    private final Backups backups;
    private final BackupRepository repository;
    private final InstanceRepository instances;
    private final PublishedCatalog catalog;
    private final AdvisoryLock lock;
    private final Clock clock;
    private final CredentialStore credentials;

    public ScheduledBackups(
            Backups backups,
            BackupRepository repository,
            InstanceRepository instances,
            PublishedCatalog catalog,
            AdvisoryLock lock,
            Clock clock,
            CredentialStore credentials) {
        this.backups = backups;
        this.repository = repository;
        this.instances = instances;
        this.catalog = catalog;
        this.lock = lock;
        this.clock = clock;
        this.credentials = credentials;
    }

    /** One round: expired backups deleted, due ones taken. Returns how many backups it took. */
    public int runDue() {
        Optional<ReplicaLock.Held> held = lock.tryAcquire("scheduled backups");
        if (held.isEmpty()) {
            return 0;
        }
        try (ReplicaLock.Held turn = held.get()) {
            int deleted = backups.deleteExpired();
            if (deleted > 0) {
                log.info("Deleted {} backups whose retention ended", deleted);
            }
            int taken = 0;
            for (String id : repository.provisionedInstances()) {
                try {
                    if (backUpIfDue(id)) {
                        taken++;
                    }
                } catch (RuntimeException e) {
                    // one instance's trouble must not hold back the others' backups
                    log.warn("Scheduled backup of instance {} could not run: {}", id, e.getMessage());
                }
            }
            return taken;
        }
    }

    private boolean backUpIfDue(String instanceId) {
        Optional<InstanceRecord> found = instances.find(instanceId);
        if (found.isEmpty()) {
            return false;
        }
        InstanceRecord instance = found.get();
        Optional<ServiceOffering> service = catalog.service(instance.serviceId());
        Optional<Plan> plan = catalog.plan(instance.serviceId(), instance.planId());
        if (service.isEmpty() || plan.isEmpty()) {
            return false;
        }
        Optional<Schedule> schedule = BackupParameters.schedule(plan.get(), instance.parameters());
        ServiceProvisioner provisioner = catalog.provisioner(service.get(), plan.get());
        if (schedule.isEmpty() || !provisioner.hasBackups() || !due(instanceId, schedule.get())) {
            return false;
        }
        InstanceRequest request = new InstanceRequest(
                instance.id(),
                plan.get(),
                BackupParameters.withoutBackupParameters(instance.parameters()),
                ContextLabels.of(instance.context()),
                instance.outputs(),
                credentials.storedTexts(instance.credentialsRef()));
        try {
            backups.backUp(
                    new Backups.Subject(instance, request, provisioner),
                    Kind.SCHEDULED,
                    schedule.get().keep(),
                    null,
                    null);
            return true;
        } catch (ProvisionerException e) {
            log.warn("Scheduled backup of instance {} failed: {}", instanceId, e.getMessage());
            return false;
        }
    }

    private boolean due(String instanceId, Schedule schedule) {
        Optional<BackupRecord> latest = repository.latest(instanceId, Kind.SCHEDULED);
        if (latest.isEmpty()) {
            return true;
        }
        Duration wait = latest.get().state() == State.FAILED
                ? (schedule.every().compareTo(RETRY) < 0 ? schedule.every() : RETRY)
                : schedule.every();
        Instant now = clock.instant();
        return !latest.get().startedAt().plus(wait).isAfter(now);
    }
}
