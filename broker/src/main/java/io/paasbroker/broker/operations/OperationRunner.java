package io.paasbroker.broker.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paasbroker.broker.credentials.CredentialRefs;
import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.credentials.CredentialStoreException;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.AuditLog;
import io.paasbroker.broker.state.BindingRecord;
import io.paasbroker.broker.state.BindingRecord.BindingState;
import io.paasbroker.broker.state.BindingRepository;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRecord.InstanceState;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.broker.state.OperationRecord;
import io.paasbroker.broker.state.OperationRecord.OperationState;
import io.paasbroker.broker.state.OperationRepository;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one claimed operation's provisioner step and records its outcome together with the instance or binding
 * change, in one transaction and only while this replica still holds the operation's lease. Steps are idempotent,
 * so an operation whose replica died is simply run again by whoever claims it next.
 */
@Component
public class OperationRunner {

    private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);

    private final InstanceRepository instances;
    private final BindingRepository bindings;
    private final OperationRepository operations;
    private final AuditLog audit;
    private final CredentialStore credentials;
    private final PublishedCatalog catalog;
    private final LeaseKeeper leases;
    private final ReplicaId replica;
    private final TransactionTemplate transaction;
    private final BrokerProperties.Operations settings;
    private final MeterRegistry meters;
    private final BackingTime backingTime;

    public OperationRunner(
            InstanceRepository instances,
            BindingRepository bindings,
            OperationRepository operations,
            AuditLog audit,
            CredentialStore credentials,
            PublishedCatalog catalog,
            LeaseKeeper leases,
            ReplicaId replica,
            TransactionTemplate transaction,
            BrokerProperties properties,
            MeterRegistry meters,
            BackingTime backingTime) {
        this.instances = instances;
        this.bindings = bindings;
        this.operations = operations;
        this.audit = audit;
        this.credentials = credentials;
        this.catalog = catalog;
        this.leases = leases;
        this.replica = replica;
        this.transaction = transaction;
        this.settings = properties.operations();
        this.meters = meters;
        this.backingTime = backingTime;
    }

    /**
     * Runs the operation, which this replica must hold. {@code synchronous}: a platform waits for the answer, so an
     * unavailable backing server fails the operation at once instead of being retried later.
     */
    public void run(OperationRecord operation, boolean synchronous) {
        leases.hold(operation.id());
        try {
            InstanceRecord instance = instances
                    .find(operation.instanceId())
                    .orElseThrow(() -> new IllegalStateException("operation " + operation.id() + " has no instance"));
            Target target;
            try {
                target = target(instance, operation);
            } catch (IllegalStateException e) {
                // the catalog changed under the instance: nothing can run the step, so say so instead of retrying
                operations.finish(
                        operation.id(),
                        replica.value(),
                        OperationState.FAILED,
                        "failed: " + e.getMessage()
                                + "; the operator must restore the plan in the catalog, then the request can be repeated.");
                return;
            }
            try {
                switch (operation.type()) {
                    case PROVISION -> provision(operation, instance, target);
                    case UPDATE -> update(operation, instance, target);
                    case DEPROVISION -> deprovision(operation, instance, target);
                    case BIND -> bind(operation, instance, target);
                    case UNBIND -> unbind(operation, instance, target);
                }
            } catch (BackingServiceUnavailableException | CredentialStoreException e) {
                Duration age = Duration.between(operation.createdAt(), Instant.now());
                if (!synchronous && age.compareTo(settings.giveUpAfter()) < 0) {
                    operations.reschedule(
                            operation.id(),
                            replica.value(),
                            settings.retryBackoff(),
                            "waiting for the backing service, will retry: " + e.getMessage(),
                            null);
                } else {
                    fail(operation, instance, target, e.getMessage());
                }
            } catch (ProvisionerException e) {
                fail(operation, instance, target, e.getMessage());
            } catch (DataAccessException e) {
                // the state store itself is unreachable: keep the lease to run out, another attempt follows
                log.warn("Operation {} could not record its outcome: {}", operation.id(), e.getMessage());
            } catch (RuntimeException e) {
                log.error("Operation {} ({}) failed unexpectedly", operation.id(), operation.type(), e);
                fail(
                        operation,
                        instance,
                        target,
                        "the broker met an internal error (" + e.getClass().getSimpleName()
                                + "); the operator finds operation " + operation.id() + " in the broker's log.");
            }
        } finally {
            leases.release(operation.id());
        }
    }

    /** The catalog entries and provisioner an operation works with: the target plan of an update. */
    private record Target(
            ServiceOffering service, Plan plan, ServiceProvisioner provisioner, InstanceRequest request) {}

    private Target target(InstanceRecord instance, OperationRecord operation) {
        ServiceOffering service = catalog.service(instance.serviceId())
                .orElseThrow(() -> new IllegalStateException("service " + instance.serviceId() + " left the catalog"));
        String planId = (String) operation.request().getOrDefault("plan_id", instance.planId());
        Plan plan = catalog.plan(instance.serviceId(), planId)
                .orElseThrow(() -> new IllegalStateException("plan " + planId + " left the catalog"));
        @SuppressWarnings("unchecked")
        Map<String, Object> parameters =
                (Map<String, Object>) operation.request().getOrDefault("parameters", instance.parameters());
        InstanceRequest request = new InstanceRequest(
                instance.id(), plan, parameters, ContextLabels.of(instance.context()), instance.outputs());
        return new Target(service, plan, catalog.provisioner(service, plan), request);
    }

    private void provision(OperationRecord operation, InstanceRecord instance, Target target) {
        StepOutcome outcome = operation.progressRef() == null
                ? backing(target, "provision", p -> p.provision(target.request()))
                : backing(target, "poll", p -> p.poll(target.request(), operation.progressRef()));
        whenCompleted(operation, outcome, completed -> {
            String secretsRef = storeInstanceSecrets(instance, completed);
            finish(
                    operation,
                    target,
                    OperationState.SUCCEEDED,
                    "created",
                    () -> instances.replace(withState(
                            instance,
                            InstanceState.PROVISIONED,
                            instance.planId(),
                            instance.parameters(),
                            instance.maintenanceVersion(),
                            completed.outputs(),
                            secretsRef)));
        });
    }

    private void update(OperationRecord operation, InstanceRecord instance, Target target) {
        Plan previousPlan =
                catalog.plan(instance.serviceId(), instance.planId()).orElse(target.plan());
        StepOutcome outcome = operation.progressRef() == null
                ? backing(
                        target,
                        "update",
                        p -> p.update(new UpdateRequest(target.request(), previousPlan, instance.parameters())))
                : backing(target, "poll", p -> p.poll(target.request(), operation.progressRef()));
        whenCompleted(operation, outcome, completed -> {
            String secretsRef = storeInstanceSecrets(instance, completed);
            Map<String, String> outputs = new LinkedHashMap<>(instance.outputs());
            outputs.putAll(completed.outputs());
            String maintenance =
                    (String) operation.request().getOrDefault("maintenance_version", instance.maintenanceVersion());
            finish(
                    operation,
                    target,
                    OperationState.SUCCEEDED,
                    "updated",
                    () -> instances.replace(withState(
                            instance,
                            InstanceState.PROVISIONED,
                            target.plan().id(),
                            target.request().parameters(),
                            maintenance,
                            outputs,
                            secretsRef)));
        });
    }

    private void deprovision(OperationRecord operation, InstanceRecord instance, Target target) {
        StepOutcome outcome = operation.progressRef() == null
                ? backing(target, "deprovision", p -> p.deprovision(target.request()))
                : backing(target, "poll", p -> p.poll(target.request(), operation.progressRef()));
        whenCompleted(operation, outcome, completed -> {
            for (BindingRecord binding : bindings.ofInstance(instance.id())) {
                credentials.delete(CredentialRefs.binding(binding.id()));
            }
            credentials.delete(CredentialRefs.instance(instance.id()));
            finish(operation, target, OperationState.SUCCEEDED, "deleted", () -> {
                instances.setState(instance.id(), InstanceState.DEPROVISIONED);
                bindings.ofInstance(instance.id()).stream()
                        .filter(BindingRecord::exists)
                        .forEach(b -> bindings.setState(b.id(), BindingState.UNBOUND, null));
            });
        });
    }

    private void bind(OperationRecord operation, InstanceRecord instance, Target target) {
        BindingRecord binding = binding(operation);
        Credentials issued = backing(
                target, "bind", p -> p.bind(new BindRequest(target.request(), binding.id(), binding.parameters())));
        String ref = CredentialRefs.binding(binding.id());
        credentials.put(ref, issued.values());
        finish(
                operation,
                target,
                OperationState.SUCCEEDED,
                "bound",
                () -> bindings.setState(binding.id(), BindingState.BOUND, ref));
    }

    private void unbind(OperationRecord operation, InstanceRecord instance, Target target) {
        BindingRecord binding = binding(operation);
        unbindOn(target, binding);
        credentials.delete(CredentialRefs.binding(binding.id()));
        finish(
                operation,
                target,
                OperationState.SUCCEEDED,
                "unbound",
                () -> bindings.setState(binding.id(), BindingState.UNBOUND, null));
    }

    /**
     * Ends a failed operation and says what to do next. A failed provision or bind first removes what it made, so a
     * failure leaves nothing behind on the backing server.
     */
    private void fail(OperationRecord operation, InstanceRecord instance, Target target, String reason) {
        String cause = reason.endsWith(".") ? reason : reason + ".";
        switch (operation.type()) {
            case PROVISION -> {
                boolean cleaned = quietly(() -> backing(target, "deprovision", p -> p.deprovision(target.request())));
                String next = cleaned
                        ? " Nothing was left behind: delete this instance and create it again once the cause is fixed."
                        : " Part of what was created could not be removed yet: deleting this instance removes it.";
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + next,
                        () -> instances.setState(instance.id(), InstanceState.FAILED));
            }
            case UPDATE ->
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause
                                + " The instance keeps its previous plan and parameters; the update can be repeated.",
                        () -> instances.setState(instance.id(), InstanceState.PROVISIONED));
            case DEPROVISION ->
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + " Delete the instance again to retry.",
                        () -> instances.setState(instance.id(), InstanceState.FAILED));
            case BIND -> {
                BindingRecord binding = binding(operation);
                boolean cleaned = quietly(() -> unbindOn(target, binding));
                String next = cleaned
                        ? " No credentials were issued: delete this binding and bind again once the cause is fixed."
                        : " Deleting this binding removes what was created.";
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + next,
                        () -> bindings.setState(binding.id(), BindingState.FAILED, null));
            }
            case UNBIND -> {
                BindingRecord binding = binding(operation);
                finish(
                        operation,
                        target,
                        OperationState.FAILED,
                        "failed: " + cause + " The credentials still work; unbind again to retry.",
                        () -> bindings.setState(binding.id(), BindingState.BOUND, binding.credentialsRef()));
            }
        }
    }

    private <T> T backing(Target target, String step, Function<ServiceProvisioner, T> call) {
        return backingTime.measure(
                target.service().name(),
                target.plan().provisioner().name(),
                step,
                () -> call.apply(target.provisioner()));
    }

    private void unbindOn(Target target, BindingRecord binding) {
        backing(target, "unbind", p -> {
            p.unbind(new BindRequest(target.request(), binding.id(), binding.parameters()));
            return null;
        });
    }

    private void whenCompleted(OperationRecord operation, StepOutcome outcome, Consumer<StepOutcome.Completed> done) {
        if (outcome instanceof StepOutcome.Completed completed) {
            done.accept(completed);
        } else if (outcome instanceof StepOutcome.InProgress progress) {
            operations.reschedule(
                    operation.id(),
                    replica.value(),
                    settings.retryAfter(),
                    progress.description(),
                    progress.reference());
        }
    }

    private void finish(
            OperationRecord operation, Target target, OperationState state, String description, Runnable change) {
        boolean finished = Boolean.TRUE.equals(transaction.execute(status -> {
            if (!operations.finish(operation.id(), replica.value(), state, description)) {
                return false;
            }
            change.run();
            audit.record(
                    state == OperationState.SUCCEEDED ? AuditLog.Event.SUCCEEDED : AuditLog.Event.FAILED,
                    operation,
                    null,
                    description);
            return true;
        }));
        if (!finished) {
            log.warn("Operation {} was taken over by another replica; leaving its outcome to it", operation.id());
            return;
        }
        Timer.builder("paasbroker.operations")
                .description("Operations from acceptance to their end")
                .tag("service", target.service().name())
                .tag("plan", target.plan().name())
                .tag("type", operation.type().column())
                .tag("outcome", state.column())
                .register(meters)
                .record(Duration.between(operation.createdAt(), Instant.now()));
        log.info(
                "Operation {} {} of {} {}: {}",
                operation.id(),
                operation.type().column(),
                operation.bindingId() == null
                        ? "instance " + operation.instanceId()
                        : "binding " + operation.bindingId(),
                state.column(),
                description);
    }

    private String storeInstanceSecrets(InstanceRecord instance, StepOutcome.Completed completed) {
        if (completed.secrets().isEmpty()) {
            return instance.credentialsRef();
        }
        String ref = CredentialRefs.instance(instance.id());
        credentials.put(ref, new HashMap<>(completed.secrets()));
        return ref;
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
