package io.paasbroker.broker.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.backup.BackupRecord;
import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.backup.BackupRecord.Storage;
import io.paasbroker.broker.backup.Backups;
import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.credentials.CredentialStoreException;
import io.paasbroker.broker.logging.LogContext;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.BindingRecord;
import io.paasbroker.broker.state.BindingRecord.BindingState;
import io.paasbroker.broker.state.BindingRepository;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRecord.InstanceState;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.broker.state.OperationRecord;
import io.paasbroker.broker.state.OperationRecord.OperationState;
import io.paasbroker.broker.state.OperationRepository;
import io.paasbroker.broker.state.StateChange;
import io.paasbroker.broker.state.StateStoreClock;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.AsyncBinder;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.DeprovisionRefusedException;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.host.CredentialRefs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed operation's provisioner step and records its outcome together with the instance or binding
 * change, in one statement and only while this replica still holds the operation's lease. Steps are idempotent,
 * so an operation whose replica died is simply run again by whoever claims it next.
 */
@Component
public class OperationRunner {

    /** What a provision's operation request names when it restores a backup into the new instance. */
    public static final String RESTORE_BACKUP_ID = "restore_backup_id";
    /** What a provision's operation request names when it restores another instance's data as it was at a time. */
    public static final String RESTORE_INSTANCE_ID = "restore_instance_id";

    public static final String RESTORE_TIME = "restore_time";

    private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);

    private final InstanceRepository instances;
    private final BindingRepository bindings;
    private final OperationRepository operations;
    private final CredentialStore credentials;
    private final PublishedCatalog catalog;
    private final LeaseKeeper leases;
    private final ReplicaId replica;
    private final BrokerProperties.Operations settings;
    private final MeterRegistry meters;
    private final BackingTime backingTime;
    private final Backups backups;
    private final BrokerProperties.Backups backupSettings;
    /** Operations' ages are measured against the times the state store gave them. */
    private final StateStoreClock clock;

    public OperationRunner(
            InstanceRepository instances,
            BindingRepository bindings,
            OperationRepository operations,
            CredentialStore credentials,
            PublishedCatalog catalog,
            LeaseKeeper leases,
            ReplicaId replica,
            BrokerProperties properties,
            MeterRegistry meters,
            BackingTime backingTime,
            Backups backups,
            StateStoreClock clock) {
        this.instances = instances;
        this.bindings = bindings;
        this.operations = operations;
        this.credentials = credentials;
        this.catalog = catalog;
        this.leases = leases;
        this.replica = replica;
        this.settings = properties.operations();
        this.meters = meters;
        this.backingTime = backingTime;
        this.backups = backups;
        this.backupSettings = properties.backups();
        this.clock = clock;
    }

    /**
     * How a run ended: the operation as it stands, and the credentials a bind issued when this run recorded its
     * success (the answer to a synchronous bind, without reading them back).
     */
    public record Result(OperationRecord operation, Optional<Map<String, Object>> issuedCredentials) {

        static Result of(OperationRecord operation) {
            return new Result(operation, Optional.empty());
        }

        @Override
        public String toString() {
            return "Result[" + operation.id() + " " + operation.state().column() + "]"; // never the credentials
        }
    }

    /**
     * Runs, in the request's thread, an operation a synchronous request has just recorded with its lease, given the
     * instance and (for a binding operation) the binding as that request's transaction left them. A platform waits
     * for the answer, so an unavailable backing server fails the operation at once instead of being retried later.
     */
    public Result runSynchronously(OperationRecord operation, InstanceRecord instance, BindingRecord binding) {
        leases.hold(operation.id());
        try {
            return run(operation, instance, binding, true);
        } finally {
            leases.release(operation.id());
        }
    }

    /** Runs an operation the worker claimed, with its instance and binding as the state store holds them. */
    public void runClaimed(OperationRecord operation) {
        leases.hold(operation.id());
        log.debug(
                "Operation {} {} of instance {}: attempt {} claimed by replica {}",
                operation.id(),
                operation.type().column(),
                operation.instanceId(),
                operation.attempts(),
                replica.value());
        try {
            InstanceRecord instance = instances
                    .find(operation.instanceId())
                    .orElseThrow(() -> new IllegalStateException("operation " + operation.id() + " has no instance"));
            BindingRecord binding = operation.type().onBinding() ? binding(operation) : null;
            run(operation, instance, binding, false);
        } finally {
            leases.release(operation.id());
        }
    }

    private Result run(OperationRecord operation, InstanceRecord instance, BindingRecord binding, boolean synchronous) {
        try (LogContext ignored =
                LogContext.ofOperation(operation.id(), operation.instanceId(), operation.bindingId())) {
            return runStep(operation, instance, binding, synchronous);
        }
    }

    private Result runStep(
            OperationRecord operation, InstanceRecord instance, BindingRecord binding, boolean synchronous) {
        Target target;
        try {
            target = target(instance, operation);
        } catch (CredentialStoreException e) {
            return reschedule(
                    operation,
                    settings.retryBackoff(),
                    "waiting for the credential store, will retry: " + e.getMessage(),
                    null);
        } catch (IllegalStateException e) {
            // the catalog changed under the instance: nothing can run the step, so say so instead of retrying
            String description = "failed: " + e.getMessage()
                    + "; the operator must restore the plan in the catalog, then the request can be repeated.";
            return operations.finish(
                            operation.id(),
                            replica.value(),
                            OperationState.FAILED,
                            description,
                            stateAfterFailure(operation, instance, binding))
                    ? Result.of(ended(operation, OperationState.FAILED, description))
                    : current(operation);
        }
        try {
            return switch (operation.type()) {
                case PROVISION -> provision(operation, instance, target);
                case UPDATE -> update(operation, instance, target);
                case DEPROVISION -> deprovision(operation, instance, target);
                case BIND -> bind(operation, binding, target);
                case UNBIND -> unbind(operation, binding, target);
            };
        } catch (BackingServiceUnavailableException | CredentialStoreException e) {
            // counted from the first unanswered attempt in a row: a cloud resource takes long to make, and its
            // operation goes on through a moment's unavailability late in it
            Instant since = operation.unavailableSince() == null ? clock.instant() : operation.unavailableSince();
            if (!synchronous && Duration.between(since, clock.instant()).compareTo(settings.giveUpAfter()) < 0) {
                String description = "waiting for the backing service, will retry: " + e.getMessage();
                return operations.rescheduleUnavailable(
                                operation.id(), replica.value(), settings.retryBackoff(), description)
                        ? Result.of(ended(operation, OperationState.IN_PROGRESS, description))
                        : current(operation);
            }
            return fail(operation, instance, binding, target, e.getMessage());
        } catch (LeaseLostException e) {
            // another replica may run the step now: this one records nothing and leaves the outcome to it
            log.warn("Operation {} stopped before its next step: {}", operation.id(), e.getMessage());
            return current(operation);
        } catch (DeprovisionRefusedException e) {
            // nothing was changed, for a reason the instance's owner can remove: the instance stays usable
            return finish(
                    operation,
                    target,
                    OperationState.FAILED,
                    "failed: " + e.getMessage() + ". Nothing was changed: the instance and its bindings keep working;"
                            + " delete it again once the cause is removed.",
                    instances.stateChange(instance.id(), InstanceState.PROVISIONED));
        } catch (ProvisionerException e) {
            return fail(operation, instance, binding, target, e.getMessage());
        } catch (DataAccessException e) {
            // the state store itself is unreachable: keep the lease to run out, another attempt follows
            log.warn("Operation {} could not record its outcome: {}", operation.id(), e.getMessage());
            return Result.of(operation);
        } catch (RuntimeException e) {
            log.error("Operation {} ({}) failed unexpectedly", operation.id(), operation.type(), e);
            return fail(
                    operation,
                    instance,
                    binding,
                    target,
                    "the broker met an internal error (" + e.getClass().getSimpleName()
                            + "); the operator finds operation " + operation.id() + " in the broker's log.");
        }
    }

    /** The catalog entries and provisioner an operation works with: the target plan of an update. */
    private record Target(
            String operationId,
            ServiceOffering service,
            Plan plan,
            ServiceProvisioner provisioner,
            InstanceRequest request) {}

    private Target target(InstanceRecord instance, OperationRecord operation) {
        ServiceOffering service = catalog.service(instance.serviceId())
                .orElseThrow(() -> new IllegalStateException("service " + instance.serviceId() + " left the catalog"));
        String planId = (String) operation.request().getOrDefault("plan_id", instance.planId());
        Plan plan = catalog.plan(instance.serviceId(), planId)
                .orElseThrow(() -> new IllegalStateException("plan " + planId + " left the catalog"));
        @SuppressWarnings("unchecked")
        Map<String, Object> parameters =
                (Map<String, Object>) operation.request().getOrDefault("parameters", instance.parameters());
        return new Target(
                operation.id(),
                service,
                plan,
                catalog.provisioner(service, plan),
                InstanceRequests.of(instance, plan, parameters, credentials.storedTexts(instance.credentialsRef())));
    }

    private Result provision(OperationRecord operation, InstanceRecord instance, Target target) {
        Optional<BackupRecord> restore = restoreAsked(operation);
        Optional<BackupRecord> snapshot = restore.filter(b -> b.storage() == Storage.SNAPSHOT);
        StepOutcome outcome;
        if (operation.progressRef() != null) {
            outcome = backing(target, "poll", p -> p.poll(target.request(), operation.progressRef()));
        } else if (snapshot.isPresent()) {
            outcome = backing(
                    target, "restore", p -> backups.startRestoreFromSnapshot(snapshot.get(), p, target.request()));
        } else if (operation.request().containsKey(RESTORE_INSTANCE_ID)) {
            outcome = backing(target, "restore", p -> restoreToPointInTime(operation, target, p));
        } else {
            outcome = backing(target, "provision", p -> p.provision(target.request()));
        }
        if (!(outcome instanceof StepOutcome.Completed completed)) {
            return inProgress(operation, outcome);
        }
        // a snapshot was restored by the step itself; a streamed backup is loaded into what the step made
        restore.filter(b -> b.storage() == Storage.STREAM).ifPresent(b -> restoreStreamed(b, target, completed));
        String restored = restore.map(b -> "backup " + b.id())
                .or(() -> Optional.ofNullable((String) operation.request().get(RESTORE_INSTANCE_ID))
                        .map(source -> "instance " + source + " as it was at "
                                + operation.request().get(RESTORE_TIME)))
                .orElse(null);
        Secrets secrets = instanceSecrets(instance, completed);
        return finish(
                operation,
                target,
                OperationState.SUCCEEDED,
                restored == null ? "created" : "created from " + restored,
                secrets.with(instances.replacement(withState(
                        instance,
                        InstanceState.PROVISIONED,
                        instance.planId(),
                        instance.parameters(),
                        instance.maintenanceVersion(),
                        completed.outputs(),
                        secrets.ref()))));
    }

    private Result update(OperationRecord operation, InstanceRecord instance, Target target) {
        if (operation.request().containsKey(BackupParameters.BACKUP)) {
            BackupRecord backup = backing(
                    target,
                    "backup",
                    p -> backups.backUp(
                            new Backups.Subject(instance, target.request(), p),
                            Kind.ON_DEMAND,
                            backupSettings.keepOnDemand(),
                            operation.id(),
                            operation.originatingIdentity()));
            return finish(
                    operation,
                    target,
                    OperationState.SUCCEEDED,
                    "backed up: backup " + backup.id(),
                    instances.stateChange(instance.id(), InstanceState.PROVISIONED));
        }
        Plan previousPlan =
                catalog.plan(instance.serviceId(), instance.planId()).orElse(target.plan());
        StepOutcome outcome = operation.progressRef() == null
                ? backing(
                        target,
                        "update",
                        p -> p.update(new UpdateRequest(target.request(), previousPlan, instance.parameters())))
                : backing(target, "poll", p -> p.poll(target.request(), operation.progressRef()));
        if (!(outcome instanceof StepOutcome.Completed completed)) {
            return inProgress(operation, outcome);
        }
        Secrets secrets = instanceSecrets(instance, completed);
        Map<String, String> outputs = new LinkedHashMap<>(instance.outputs());
        outputs.putAll(completed.outputs());
        String maintenance =
                (String) operation.request().getOrDefault("maintenance_version", instance.maintenanceVersion());
        return finish(
                operation,
                target,
                OperationState.SUCCEEDED,
                "updated",
                secrets.with(instances.replacement(withState(
                        instance,
                        InstanceState.PROVISIONED,
                        target.plan().id(),
                        target.request().parameters(),
                        maintenance,
                        outputs,
                        secrets.ref()))));
    }

    private Result deprovision(OperationRecord operation, InstanceRecord instance, Target target) {
        if (operation.progressRef() == null) {
            takeFinalBackup(operation, instance, target);
        }
        StepOutcome outcome = operation.progressRef() == null
                ? backing(target, "deprovision", p -> p.deprovision(target.request()))
                : backing(target, "poll", p -> p.poll(target.request(), operation.progressRef()));
        if (!(outcome instanceof StepOutcome.Completed)) {
            return inProgress(operation, outcome);
        }
        // every binding ever made, tombstones too: a secret a crashed step stored must not outlive the instance
        List<String> refs = new ArrayList<>();
        bindings.idsOfInstance(instance.id()).forEach(id -> refs.add(CredentialRefs.binding(id)));
        refs.add(CredentialRefs.instance(instance.id()));
        return finish(
                operation,
                target,
                OperationState.SUCCEEDED,
                "deleted",
                deleting(refs)
                        .with(
                                instances.stateChange(instance.id(), InstanceState.DEPROVISIONED),
                                bindings.unbindingAllOf(instance.id())));
    }

    /** The provision step of an instance made from another's data as it was at a time: the provider restores it. */
    private StepOutcome restoreToPointInTime(OperationRecord operation, Target target, ServiceProvisioner provisioner) {
        String sourceId = (String) operation.request().get(RESTORE_INSTANCE_ID);
        InstanceRecord source = instances
                .find(sourceId)
                .orElseThrow(() -> new ProvisioningFailedException("instance " + sourceId + " is gone"));
        Plan sourcePlan = catalog.plan(source.serviceId(), source.planId())
                .orElseThrow(() ->
                        new ProvisioningFailedException("the plan of instance " + sourceId + " left the catalog"));
        InstanceRequest sourceRequest = InstanceRequests.of(
                source, sourcePlan, source.parameters(), credentials.storedTexts(source.credentialsRef()));
        return provisioner
                .pointInTimeRestore()
                .orElseThrow(() -> new ProvisioningFailedException("this plan cannot restore to a point in time"))
                .restore(target.request(), sourceRequest, Instant.parse((String)
                        operation.request().get(RESTORE_TIME)));
    }

    /** The backup a provision asked to restore, if it asked for one. */
    private Optional<BackupRecord> restoreAsked(OperationRecord operation) {
        String backupId = (String) operation.request().get(RESTORE_BACKUP_ID);
        if (backupId == null) {
            return Optional.empty();
        }
        return Optional.of(backups.find(backupId)
                .orElseThrow(() -> new ProvisioningFailedException("backup " + backupId + " is gone")));
    }

    /** Streams the backup a provision asked for into the instance just created. */
    private void restoreStreamed(BackupRecord backup, Target target, StepOutcome.Completed created) {
        // the instance as its provision just left it: the secrets it reported are not stored yet
        Map<String, String> secrets = new HashMap<>(target.request().secrets());
        secrets.putAll(created.secrets());
        InstanceRequest createdInstance = new InstanceRequest(
                target.request().instanceId(),
                target.plan(),
                target.request().parameters(),
                target.request().labels(),
                created.outputs(),
                secrets);
        backing(target, "restore", p -> {
            backups.restore(backup, p, createdInstance);
            return null;
        });
    }

    /**
     * Instances of plans with scheduled backups get a final one before their data goes, kept for {@code
     * paasbroker.backups.keep-final}; a repeated deprovision does not take it twice. Without a backup store there is
     * nothing to keep it in, and the instance goes without.
     */
    private void takeFinalBackup(OperationRecord operation, InstanceRecord instance, Target target) {
        if (target.plan().backups() == null || !target.provisioner().hasBackups() || backups.takenBy(operation.id())) {
            return;
        }
        if (target.provisioner().snapshots(target.plan()).isEmpty() && !backups.hasStore()) {
            log.warn("No backup store: instance {} is deleted without a final backup", instance.id());
            return;
        }
        if (!operations.everProvisioned(instance.id())) {
            log.info("Instance {} was never provisioned: it is deleted without a final backup", instance.id());
            return;
        }
        try {
            backing(
                    target,
                    "backup",
                    p -> backups.backUp(
                            new Backups.Subject(instance, target.request(), p),
                            Kind.FINAL,
                            backupSettings.keepFinal(),
                            operation.id(),
                            operation.originatingIdentity()));
        } catch (BackingServiceUnavailableException e) {
            throw new BackingServiceUnavailableException(
                    "the final backup of the instance cannot be taken yet, so its data is kept: " + e.getMessage(), e);
        } catch (ProvisionerException e) {
            throw new ProvisioningFailedException(
                    "the final backup of the instance failed, so its data was kept: " + e.getMessage());
        }
    }

    private Result bind(OperationRecord operation, BindingRecord binding, Target target) {
        BindRequest request = new BindRequest(target.request(), binding.id(), binding.parameters());
        BindOutcome outcome = backing(target, operation.progressRef() == null ? "bind" : "poll", p -> {
            if (!(p instanceof AsyncBinder binder)) {
                return new BindOutcome.Bound(p.bind(request));
            }
            return operation.progressRef() == null
                    ? binder.startBind(request)
                    : binder.pollBind(request, operation.progressRef());
        });
        if (outcome instanceof StepOutcome.InProgress progress) {
            return inProgress(operation, progress);
        }
        Credentials issued = ((BindOutcome.Bound) outcome).credentials();
        Secrets secrets = storing(CredentialRefs.binding(binding.id()), issued.values());
        return recordOutcome(
                        operation,
                        target,
                        OperationState.SUCCEEDED,
                        "bound",
                        secrets.with(bindings.stateChange(binding.id(), BindingState.BOUND, secrets.ref())))
                .map(bound -> new Result(bound, Optional.of(issued.values())))
                .orElseGet(() -> current(operation));
    }

    private Result unbind(OperationRecord operation, BindingRecord binding, Target target) {
        StepOutcome outcome = unbindOn(target, binding, operation.progressRef());
        if (outcome instanceof StepOutcome.InProgress) {
            return inProgress(operation, outcome);
        }
        return finish(
                operation,
                target,
                OperationState.SUCCEEDED,
                "unbound",
                deleting(List.of(CredentialRefs.binding(binding.id())))
                        .with(bindings.stateChange(binding.id(), BindingState.UNBOUND, null)));
    }

    /**
     * Ends a failed operation and says what to do next. A failed provision or bind first removes what it made, so a
     * failure leaves nothing behind on the backing server.
     */
    private Result fail(
            OperationRecord operation, InstanceRecord instance, BindingRecord binding, Target target, String reason) {
        String cause = reason.endsWith(".") ? reason : reason + ".";
        return switch (operation.type()) {
            case PROVISION -> {
                boolean cleaned = quietly(() -> backing(target, "deprovision", p -> p.deprovision(target.request())));
                String next = cleaned
                        ? " Nothing was left behind: delete this instance and create it again once the cause is fixed."
                        : " Part of what was created could not be removed yet: deleting this instance removes it.";
                yield finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + next,
                        stateAfterFailure(operation, instance, binding));
            }
            case UPDATE ->
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause
                                + " The instance keeps its previous plan and parameters; the update can be repeated.",
                        stateAfterFailure(operation, instance, binding));
            case DEPROVISION ->
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + " Delete the instance again to retry.",
                        stateAfterFailure(operation, instance, binding));
            case BIND -> {
                boolean cleaned = quietly(() -> {
                    if (unbindOn(target, binding, null) instanceof StepOutcome.InProgress) {
                        throw new IllegalStateException("the binding's revocation goes on");
                    }
                });
                String next = cleaned
                        ? " No credentials were issued: delete this binding and bind again once the cause is fixed."
                        : " Deleting this binding removes what was created.";
                yield finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + next,
                        stateAfterFailure(operation, instance, binding));
            }
            case UNBIND ->
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + " The credentials still work; unbind again to retry.",
                        stateAfterFailure(operation, instance, binding));
        };
    }

    /**
     * What a failed operation leaves its instance or binding as: an update or unbind as it was before, anything else
     * failed, which a delete or unbind can take from there.
     */
    private StateChange stateAfterFailure(OperationRecord operation, InstanceRecord instance, BindingRecord binding) {
        return switch (operation.type()) {
            case PROVISION, DEPROVISION -> instances.stateChange(instance.id(), InstanceState.FAILED);
            case UPDATE -> instances.stateChange(instance.id(), InstanceState.PROVISIONED);
            case BIND -> bindings.stateChange(binding.id(), BindingState.FAILED, null);
            case UNBIND -> bindings.stateChange(binding.id(), BindingState.BOUND, binding.credentialsRef());
        };
    }

    /** A call to the backing service, made only while this replica holds the operation's lease. */
    private <T> T backing(Target target, String step, Function<ServiceProvisioner, T> call) {
        leases.requireHeld(target.operationId());
        return backingTime.measure(
                target.service().name(),
                target.plan().provisioner().name(),
                step,
                () -> call.apply(target.provisioner()));
    }

    /** Revokes the binding, or starts to, or reads how far the revocation under {@code progressRef} got. */
    private StepOutcome unbindOn(Target target, BindingRecord binding, String progressRef) {
        BindRequest request = new BindRequest(
                target.request(), binding.id(), binding.parameters(), credentials.stored(binding.credentialsRef()));
        return backing(target, progressRef == null ? "unbind" : "poll", p -> {
            if (p instanceof AsyncBinder binder) {
                return progressRef == null ? binder.startUnbind(request) : binder.pollUnbind(request, progressRef);
            }
            p.unbind(request);
            return StepOutcome.Completed.with(Map.of());
        });
    }

    /** A step the backing service goes on with: asks for another look later. */
    private Result inProgress(OperationRecord operation, StepOutcome outcome) {
        StepOutcome.InProgress progress = (StepOutcome.InProgress) outcome;
        return reschedule(operation, settings.retryAfter(), progress.description(), progress.reference());
    }

    private Result reschedule(OperationRecord operation, Duration delay, String description, String progressRef) {
        return operations.reschedule(operation.id(), replica.value(), delay, description, progressRef)
                ? Result.of(ended(operation, OperationState.IN_PROGRESS, description))
                : current(operation);
    }

    private Result finish(
            OperationRecord operation,
            Target target,
            OperationState state,
            String description,
            StateChange... changes) {
        return recordOutcome(operation, target, state, description, changes)
                .map(Result::of)
                .orElseGet(() -> current(operation));
    }

    /**
     * Records the outcome with its changes, in one statement, if this replica still holds the lease; returns the
     * operation as it ended, or empty when another replica took it over.
     */
    private Optional<OperationRecord> recordOutcome(
            OperationRecord operation,
            Target target,
            OperationState state,
            String description,
            StateChange... changes) {
        if (!operations.finish(operation.id(), replica.value(), state, description, changes)) {
            log.warn("Operation {} was taken over by another replica; leaving its outcome to it", operation.id());
            return Optional.empty();
        }
        Timer.builder("paasbroker.operations")
                .description("Operations from acceptance to their end")
                .tag("service", target.service().name())
                .tag("plan", target.plan().name())
                .tag("type", operation.type().column())
                .tag("outcome", state.column())
                .register(meters)
                .record(Duration.between(operation.createdAt(), clock.instant()));
        log.info(
                "Operation {} {} of {} {}: {}",
                operation.id(),
                operation.type().column(),
                operation.bindingId() == null
                        ? "instance " + operation.instanceId()
                        : "binding " + operation.bindingId(),
                state.column(),
                description);
        return Optional.of(ended(operation, state, description));
    }

    /** The operation as another replica left it, for the rare run whose lease was taken over. */
    private Result current(OperationRecord operation) {
        return Result.of(operations.find(operation.id()).orElse(operation));
    }

    private static OperationRecord ended(OperationRecord operation, OperationState state, String description) {
        return new OperationRecord(
                operation.id(),
                operation.instanceId(),
                operation.bindingId(),
                operation.type(),
                state,
                description,
                operation.request(),
                operation.progressRef(),
                operation.platform(),
                operation.originatingIdentity(),
                operation.attempts(),
                operation.createdAt(),
                operation.unavailableSince());
    }

    /**
     * A secret written or deleted by an operation's outcome: with a credential store in the state store, as a change
     * of the statement that records the outcome ({@link #with}); with another store, already done.
     */
    private record Secrets(String ref, Optional<StateChange> change) {

        /** The changes of an outcome, this secret's write first. */
        StateChange[] with(StateChange... changes) {
            return change.map(
                            c -> Stream.concat(Stream.of(c), Stream.of(changes)).toArray(StateChange[]::new))
                    .orElse(changes);
        }
    }

    private Secrets storing(String ref, Map<String, Object> secret) {
        Optional<StateChange> change = credentials.putInStateStore(ref, secret);
        if (change.isEmpty()) {
            credentials.put(ref, secret);
        }
        return new Secrets(ref, change);
    }

    private Secrets deleting(List<String> refs) {
        Optional<StateChange> change = credentials.deleteInStateStore(refs);
        if (change.isEmpty()) {
            credentials.deleteAll(refs);
        }
        return new Secrets(null, change);
    }

    private Secrets instanceSecrets(InstanceRecord instance, StepOutcome.Completed completed) {
        if (completed.secrets().isEmpty()) {
            return new Secrets(instance.credentialsRef(), Optional.empty());
        }
        return storing(CredentialRefs.instance(instance.id()), new HashMap<>(completed.secrets()));
    }

    private BindingRecord binding(OperationRecord operation) {
        return bindings.find(operation.bindingId())
                .orElseThrow(() -> new IllegalStateException("operation " + operation.id() + " has no binding"));
    }

    private static InstanceRecord withState(
            InstanceRecord instance,
            InstanceState state,
            String planId,
            Map<String, Object> parameters,
            String maintenanceVersion,
            Map<String, String> outputs,
            String credentialsRef) {
        return new InstanceRecord(
                instance.id(),
                instance.serviceId(),
                planId,
                state,
                parameters,
                instance.context(),
                instance.organizationGuid(),
                instance.spaceGuid(),
                maintenanceVersion,
                outputs,
                credentialsRef,
                instance.platformAccount(),
                instance.createdAt());
    }

    private boolean quietly(Runnable cleanup) {
        try {
            cleanup.run();
            return true;
        } catch (RuntimeException e) {
            log.warn("Clean-up after a failed step did not complete: {}", e.getMessage());
            return false;
        }
    }
}
