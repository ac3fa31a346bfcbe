package io.paasbroker.provisioner;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import java.util.Map;
import java.util.Optional;

/**
 * Creates and removes one kind of backing service for the plans that name this provisioner.
 *
 * <p>Every step is blocking, keeps no broker state and is idempotent: the names of what it creates are derived from
 * the OSB ids, so a step run again after a crash adopts what the first run made instead of failing or duplicating it.
 * A step reports failure only through {@link ProvisionerException} and its subclasses.
 */
public interface ServiceProvisioner {

    /** The name plans use to choose this provisioner ({@code local}, {@code aws}, {@code azure}). */
    String name();

    ServiceKind kind();

    /** Rejects, at start-up, a plan whose provisioner properties this provisioner cannot serve. */
    void checkPlan(Plan plan) throws InvalidPlanException;

    /**
     * Rejects, before anything is recorded, provision or update parameters the plan's JSON schema lets through but
     * this provisioner cannot honour (for example an extension the plan does not allow).
     */
    default void checkParameters(Plan plan, Map<String, Object> parameters) throws InvalidParametersException {}

    /** Rejects, before anything is recorded, a change of an instance from plan {@code from} to plan {@code to}. */
    default void checkPlanChange(Plan from, Plan to) throws PlanChangeRefusedException {}

    /**
     * Refuses, before anything is recorded, a deletion the deprovision step would refuse; may ask the backing service.
     * Nothing is refused by default.
     */
    default void checkDeprovision(InstanceRequest request) throws DeprovisionRefusedException {}

    /** Whether every step finishes within a request, so that a platform may call without accepts_incomplete. */
    boolean completesSynchronously();

    StepOutcome provision(InstanceRequest request);

    /** Reads the real resource behind an {@link StepOutcome.InProgress} reference. */
    default StepOutcome poll(InstanceRequest request, String progressReference) {
        throw new UnsupportedOperationException(
                name() + " provisioner for " + kind().key() + " never reports progress");
    }

    StepOutcome update(UpdateRequest request);

    StepOutcome deprovision(InstanceRequest request);

    Credentials bind(BindRequest request);

    void unbind(BindRequest request);

    /** What rotates the admin passwords of the servers this provisioner uses, when it can. */
    default Optional<AdminPasswordRotation> adminPasswordRotation() {
        return Optional.empty();
    }

    /** How this provisioner backs up and restores its instances' data through the broker, when it can. */
    default Optional<InstanceBackups> backups() {
        return Optional.empty();
    }

    /**
     * How the provider keeps snapshots of this provisioner's instances, when it can: what reads and deletes the
     * snapshots its plans took. Whether a plan's backups are taken as snapshots is {@link #snapshots(Plan)}.
     */
    default Optional<InstanceSnapshots> snapshots() {
        return Optional.empty();
    }

    /**
     * How the provider keeps snapshots of instances of {@code plan}, when the plan has them; preferred to {@link
     * #backups}. A provisioner whose snapshots need a plan's settings (a snapshot repository) streams the backups of
     * plans without them.
     */
    default Optional<InstanceSnapshots> snapshots(Plan plan) {
        return snapshots();
    }

    /** How the provider restores an instance's data as it was at a moment, when it can. */
    default Optional<PointInTimeRestore> pointInTimeRestore() {
        return Optional.empty();
    }

    /** Whether this provisioner's instances can be backed up and restored, one way or the other. */
    default boolean hasBackups() {
        return snapshots().isPresent() || backups().isPresent();
    }

    /** Whether each server this provisioner uses answers, by name. */
    Health health();
}
