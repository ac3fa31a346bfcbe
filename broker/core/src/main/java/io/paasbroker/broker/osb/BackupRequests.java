package io.paasbroker.broker.osb;

import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.backup.BackupRecord;
import io.paasbroker.broker.backup.BackupRepository;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRecord.InstanceState;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.PointInTimeRestore;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * What a provision or update asks of backups, checked before anything is recorded: a restore is allowed from a
 * completed backup of the same service, made in the same Cloud Foundry organization and space or Kubernetes
 * namespace; schedules stay within the plan's limits; {@code "backup": "now"} comes alone.
 */
@Component
class BackupRequests {

    private final BackupRepository backups;
    private final InstanceRepository instances;

    BackupRequests(BackupRepository backups, InstanceRepository instances) {
        this.backups = backups;
        this.instances = instances;
    }

    /** The instance and moment a new instance is restored to, with no backup of the broker's. */
    record PointInTime(String sourceInstanceId, Instant time) {}

    /**
     * The point in time a provision restores to, if it asks for one: an instance of the same service in the same
     * place, and a moment the plan's provider still keeps, after the instance was made.
     */
    Optional<PointInTime> pointInTime(
            ServiceOffering service,
            Plan plan,
            ServiceProvisioner provisioner,
            Map<String, Object> parameters,
            Place place) {
        Object of = parameters.get(BackupParameters.RESTORE_TO_POINT_IN_TIME_OF);
        Object at = parameters.get(BackupParameters.RESTORE_TIME);
        if (of == null && at == null) {
            return Optional.empty();
        }
        RequestChecks.require(
                of != null && at != null,
                BackupParameters.RESTORE_TO_POINT_IN_TIME_OF + " and " + BackupParameters.RESTORE_TIME
                        + " go together");
        RequestChecks.require(
                !parameters.containsKey(BackupParameters.RESTORE_FROM_BACKUP)
                        && !parameters.containsKey(BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF),
                "restore from a backup or to a point in time, not both");
        PointInTimeRestore restore = provisioner
                .pointInTimeRestore()
                .orElseThrow(
                        () -> new BadRequestException("plan '" + plan.name() + "' cannot restore to a point in time"));
        String sourceId = text(of, BackupParameters.RESTORE_TO_POINT_IN_TIME_OF);
        Instant time = time(at, BackupParameters.RESTORE_TIME);
        // another service's or place's instance counts as none: the answer is the same, so nothing about others leaks
        InstanceRecord source = instances
                .find(sourceId)
                .filter(i -> i.serviceId().equals(service.id()) && samePlace(i, place))
                // the provider restores from a resource that still exists; a deleted instance has its backups
                .filter(i -> i.state() == InstanceState.PROVISIONED || i.state() == InstanceState.UPDATING)
                .orElseThrow(() -> new BadRequestException("there is no instance " + sourceId + " of service '"
                        + service.name() + "' in this organization and space (or namespace) to restore from"));
        // the provider restores its own resources: another provisioner's instance would fail only once accepted
        RequestChecks.require(
                service.plans().stream()
                        .filter(p -> p.id().equals(source.planId()))
                        .anyMatch(p ->
                                p.provisioner().name().equals(plan.provisioner().name())),
                "instance " + sourceId + " is served by another provisioner than plan '" + plan.name()
                        + "': restore it to a point in time into a plan of its own provisioner");
        Instant now = Instant.now();
        RequestChecks.require(
                !time.isAfter(now) && !time.isBefore(now.minus(restore.window(plan))),
                BackupParameters.RESTORE_TIME + " must lie within the last "
                        + restore.window(plan).toHours() + " hours on plan '" + plan.name() + "'");
        RequestChecks.require(
                !time.isBefore(source.createdAt()),
                BackupParameters.RESTORE_TIME + " is before instance " + sourceId + " was created");
        return Optional.of(new PointInTime(sourceId, time));
    }

    /** Where a new instance lives, as a restore compares it with where the backup was made. */
    record Place(String organizationGuid, String spaceGuid, Map<String, Object> context) {

        String namespace() {
            Object namespace = context.get("namespace");
            return namespace == null ? null : namespace.toString();
        }
    }

    /** The backup a provision restores, if it asks for one. */
    Optional<BackupRecord> restoreSource(
            ServiceOffering service,
            Plan plan,
            ServiceProvisioner provisioner,
            Map<String, Object> parameters,
            Place place) {
        if (parameters.containsKey(BackupParameters.BACKUP)) {
            throw new BadRequestException("'" + BackupParameters.BACKUP + "' is for updates of an existing instance");
        }
        checkSchedule(plan, parameters);
        Object byId = parameters.get(BackupParameters.RESTORE_FROM_BACKUP);
        Object ofInstance = parameters.get(BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF);
        Object before = parameters.get(BackupParameters.RESTORE_BEFORE);
        if (byId == null && ofInstance == null) {
            RequestChecks.require(
                    before == null,
                    BackupParameters.RESTORE_BEFORE + " goes with " + BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF);
            return Optional.empty();
        }
        RequestChecks.require(
                byId == null || ofInstance == null,
                "ask for " + BackupParameters.RESTORE_FROM_BACKUP + " or "
                        + BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF + ", not both");
        RequestChecks.require(provisioner.hasBackups(), "plan '" + plan.name() + "' cannot restore backups");
        // backups of another service or place count as none: the answer is the same, so nothing about others leaks
        Predicate<BackupRecord> restorableHere = b ->
                b.state() == BackupRecord.State.COMPLETED && b.serviceId().equals(service.id()) && samePlace(b, place);
        String where = " of service '" + service.name() + "' in this organization and space (or namespace) to restore";
        BackupRecord backup;
        if (byId != null) {
            String id = text(byId, BackupParameters.RESTORE_FROM_BACKUP);
            backup = backups.find(id)
                    .filter(restorableHere)
                    .orElseThrow(() -> new BadRequestException("there is no completed backup " + id + where));
        } else {
            String instanceId = text(ofInstance, BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF);
            Instant until = before == null ? Instant.now() : time(before, BackupParameters.RESTORE_BEFORE);
            backup = backups.completedOf(instanceId).stream()
                    .filter(restorableHere)
                    .filter(b -> b.startedAt().isBefore(until))
                    .findFirst()
                    .orElseThrow(() -> new BadRequestException("instance " + instanceId + " has no completed backup"
                            + (before == null ? "" : " before " + before) + where));
        }
        requireReadable(backup, plan, provisioner);
        return Optional.of(backup);
    }

    /**
     * A service's plans may have different provisioners, whose backups are of formats of their own: another one's
     * backup would fail only once the new instance was made (an RDS instance, a flexible server), so it is refused
     * before anything is.
     */
    private static void requireReadable(BackupRecord backup, Plan plan, ServiceProvisioner provisioner) {
        Optional<String> reads = backup.storage() == BackupRecord.Storage.SNAPSHOT
                ? provisioner.snapshots(plan).map(InstanceSnapshots::format)
                : provisioner.backups().map(InstanceBackups::format);
        RequestChecks.require(
                reads.filter(backup.format()::equals).isPresent(),
                "backup " + backup.id() + " is in format " + backup.format() + ", which plan '" + plan.name()
                        + "' does not read: restore it into an instance of the plan it was made on, or of another plan"
                        + " that reads it");
    }

    /** Checks an update's backup parameters; true when it asks for a backup now. */
    boolean backupNow(Plan plan, ServiceProvisioner provisioner, Map<String, Object> changes) {
        for (String restore : new String[] {
            BackupParameters.RESTORE_FROM_BACKUP,
            BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF,
            BackupParameters.RESTORE_BEFORE
        }) {
            RequestChecks.require(
                    !changes.containsKey(restore), restore + " is for creating an instance: create a new one");
        }
        checkSchedule(plan, changes);
        Object backup = changes.get(BackupParameters.BACKUP);
        if (backup == null) {
            return false;
        }
        RequestChecks.require("now".equals(backup), "'" + BackupParameters.BACKUP + "' takes the value \"now\" only");
        RequestChecks.require(changes.size() == 1, "ask for a backup on its own, without other changes");
        RequestChecks.require(provisioner.hasBackups(), "plan '" + plan.name() + "' has no backups");
        return true;
    }

    private static void checkSchedule(Plan plan, Map<String, Object> parameters) {
        try {
            BackupParameters.check(plan, parameters);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    /**
     * Kubernetes instances compare their cluster (OSB's organization_guid there) and namespace; Cloud Foundry ones
     * organization and space.
     */
    private static boolean samePlace(BackupRecord backup, Place place) {
        return samePlace(backup.organizationGuid(), backup.spaceGuid(), backup.namespace(), place);
    }

    private static boolean samePlace(InstanceRecord instance, Place place) {
        Object namespace = instance.context().get("namespace");
        return samePlace(
                instance.organizationGuid(),
                instance.spaceGuid(),
                namespace == null ? null : namespace.toString(),
                place);
    }

    private static boolean samePlace(String organizationGuid, String spaceGuid, String namespace, Place place) {
        if (place.namespace() != null || namespace != null) {
            return Objects.equals(place.namespace(), namespace)
                    && Objects.equals(place.organizationGuid(), organizationGuid);
        }
        return Objects.equals(place.organizationGuid(), organizationGuid)
                && Objects.equals(place.spaceGuid(), spaceGuid);
    }

    private static Instant time(Object value, String name) {
        try {
            return OffsetDateTime.parse(text(value, name)).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an RFC 3339 time such as 2026-11-23T10:00:00Z");
        }
    }

    private static String text(Object value, String name) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new BadRequestException(name + " must be a string");
        }
        return text;
    }
}
