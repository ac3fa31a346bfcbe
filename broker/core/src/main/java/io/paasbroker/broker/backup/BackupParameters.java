package io.paasbroker.broker.backup;

import io.paasbroker.catalog.BackupSchedule;
import io.paasbroker.catalog.Plan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The provision and update parameters that are about backups rather than the service: the broker reads them, checks
 * them against the plan, and keeps them from the provisioner.
 */
public final class BackupParameters {

    /** Update parameter: {@code "now"} takes an on-demand backup. */
    public static final String BACKUP = "backup";
    /** Provision or update parameter: how often scheduled backups run, within the plan's limits. */
    public static final String EVERY = "backup_every";
    /** Provision or update parameter: how long scheduled backups are kept, within the plan's limits. */
    public static final String KEEP = "backup_keep";
    /** Provision parameter: the id of a backup to restore into the new instance. */
    public static final String RESTORE_FROM_BACKUP = "restore_from_backup";
    /** Provision parameter: an instance whose latest backup (before {@link #RESTORE_BEFORE}) to restore. */
    public static final String RESTORE_FROM_LATEST_BACKUP_OF = "restore_from_latest_backup_of";
    /** Provision parameter: an RFC 3339 time; the latest backup that started before it is restored. */
    public static final String RESTORE_BEFORE = "restore_before";
    /** Provision parameter: an instance whose data, as it was at {@link #RESTORE_TIME}, the new instance starts with. */
    public static final String RESTORE_TO_POINT_IN_TIME_OF = "restore_to_point_in_time_of";
    /** Provision parameter: an RFC 3339 time, within the plan's point-in-time window. */
    public static final String RESTORE_TIME = "restore_time";

    private static final Set<String> ALL = Set.of(
            BACKUP,
            EVERY,
            KEEP,
            RESTORE_FROM_BACKUP,
            RESTORE_FROM_LATEST_BACKUP_OF,
            RESTORE_BEFORE,
            RESTORE_TO_POINT_IN_TIME_OF,
            RESTORE_TIME);

    private BackupParameters() {}

    /** Whether {@code name} is one of these parameters. */
    public static boolean isBackupParameter(String name) {
        return ALL.contains(name);
    }

    /** The parameters without these: what the plan's schema and the provisioner see. */
    public static Map<String, Object> withoutBackupParameters(Map<String, Object> parameters) {
        Map<String, Object> rest = new LinkedHashMap<>(parameters);
        rest.keySet().removeIf(BackupParameters::isBackupParameter);
        return rest;
    }

    /** The schedule the instance runs on: the plan's, with the instance's own interval and retention if it chose. */
    public static Optional<Schedule> schedule(Plan plan, Map<String, Object> parameters) {
        BackupSchedule planned = plan.backups();
        if (planned == null) {
            return Optional.empty();
        }
        Duration every = duration(parameters, EVERY).orElse(planned.interval());
        Duration keep = duration(parameters, KEEP).orElse(planned.retention());
        return Optional.of(new Schedule(every, keep));
    }

    /**
     * Checks the backup parameters a provision or update brings against the plan; the message of the exception says
     * what is wrong.
     */
    public static void check(Plan plan, Map<String, Object> parameters) {
        Optional<Duration> every = duration(parameters, EVERY);
        Optional<Duration> keep = duration(parameters, KEEP);
        if ((every.isPresent() || keep.isPresent()) && plan.backups() == null) {
            throw new IllegalArgumentException(
                    "plan '" + plan.name() + "' has no scheduled backups; " + EVERY + " and " + KEEP + " do not apply");
        }
        every.ifPresent(e -> {
            if (e.compareTo(plan.backups().shortestInterval()) < 0
                    || e.compareTo(plan.backups().interval()) > 0) {
                throw new IllegalArgumentException(EVERY + " must be between "
                        + Objects.requireNonNullElse(
                                plan.backups().minEvery(), plan.backups().every()) + " and "
                        + plan.backups().every() + " on plan '" + plan.name() + "'");
            }
        });
        keep.ifPresent(k -> {
            if (k.compareTo(plan.backups().retention()) < 0
                    || k.compareTo(plan.backups().longestRetention()) > 0) {
                throw new IllegalArgumentException(
                        KEEP + " must be between " + plan.backups().keep() + " and "
                                + Objects.requireNonNullElse(
                                        plan.backups().maxKeep(), plan.backups().keep()) + " on plan '"
                                + plan.name() + "'");
            }
        });
    }

    /** When and how long: the effective schedule of one instance. */
    public record Schedule(Duration every, Duration keep) {}

    private static Optional<Duration> duration(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(name + " must be a duration like 12h or 7d");
        }
        try {
            return Optional.of(BackupSchedule.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }
}
