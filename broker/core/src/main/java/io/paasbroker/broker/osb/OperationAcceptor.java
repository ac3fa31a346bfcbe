package io.paasbroker.broker.osb;

import io.paasbroker.broker.operations.OperationRunner;
import io.paasbroker.broker.operations.OperationWorker;
import io.paasbroker.broker.operations.ReplicaId;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.BindingRecord;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.OperationRecord;
import io.paasbroker.broker.state.OperationRecord.OperationState;
import io.paasbroker.broker.state.OperationRecord.OperationType;
import io.paasbroker.broker.state.OperationRepository;
import io.paasbroker.broker.state.OperationRepository.Precondition;
import io.paasbroker.broker.state.StateChange;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Records accepted operations and hands them to be run: a synchronous one in the request's own thread, holding its
 * lease from the start; an asynchronous one by the worker of whichever replica claims it first.
 */
@Component
class OperationAcceptor {

    private final OperationRepository operations;
    private final OperationRunner runner;
    private final OperationWorker worker;
    private final ReplicaId replica;
    private final BrokerProperties.Operations settings;

    OperationAcceptor(
            OperationRepository operations,
            OperationRunner runner,
            OperationWorker worker,
            ReplicaId replica,
            BrokerProperties properties) {
        this.operations = operations;
        this.runner = runner;
        this.worker = worker;
        this.replica = replica;
        this.settings = properties.operations();
    }

    /**
     * Refuses a change while another one is in flight on the instance: instance-level changes exclude everything,
     * binding changes exclude instance-level ones. Call with the instance row locked. {@link #record} checks the same
     * itself; this is for changes that record no operation, and for refusals that must name the operation in flight
     * before anything else.
     */
    void requireNoConflict(String instanceId, boolean instanceLevel) {
        operations.conflictingOperation(instanceId, instanceLevel).ifPresent(OperationAcceptor::refuse);
    }

    /**
     * Records a new operation, who asked for it and the changes it makes to its instance or binding at once, in one
     * statement inside the caller's transaction, which holds the instance row locked; refuses it, changing nothing,
     * while a conflicting operation is in flight (see {@link #requireNoConflict}).
     */
    OperationRecord record(
            OperationType type,
            String instanceId,
            String bindingId,
            Map<String, Object> request,
            Identity identity,
            String requestIdentity,
            boolean synchronous,
            StateChange... changes) {
        OperationRecord operation = accepted(type, instanceId, bindingId, request, identity);
        OperationRepository.Recording recording = operations.insert(
                operation,
                leaseOwner(synchronous),
                settings.lease(),
                requestIdentity,
                Precondition.noConflictingOperation(instanceId, !type.onBinding()),
                changes);
        if (!recording.recorded()) {
            refuse(recording.conflictingOperation());
        }
        return operation;
    }

    /** An operation recorded, with what the statement that recorded it read: see {@link #recordOnBinding}. */
    record Recorded<T>(OperationRecord operation, T read) {}

    /**
     * Records a change of a binding in one statement outside any transaction (a single round trip and commit), when
     * {@code precondition} holds: it share-locks the instance and stands for every check of the change (the usual
     * bind and unbind). Empty when it does not hold, for the caller to look closer under the instance's exclusive
     * lock.
     */
    <T> Optional<Recorded<T>> recordOnBinding(
            OperationType type,
            String instanceId,
            String bindingId,
            Identity identity,
            String requestIdentity,
            boolean synchronous,
            Precondition precondition,
            OperationRepository.Answer<T> read) {
        OperationRecord operation = accepted(type, instanceId, bindingId, Map.of(), identity);
        return operations
                .insert(operation, leaseOwner(synchronous), settings.lease(), requestIdentity, precondition, read)
                .map(row -> new Recorded<>(operation, row));
    }

    /**
     * Creates a new instance and records its provision in one statement, outside any transaction (a single round
     * trip and commit); empty when an instance with the id exists already, which the caller then examines.
     */
    Optional<OperationRecord> recordProvision(
            InstanceRecord instance,
            Map<String, Object> request,
            Identity identity,
            String requestIdentity,
            boolean synchronous) {
        OperationRecord operation = accepted(OperationType.PROVISION, instance.id(), null, request, identity);
        return operations
                        .insert(
                                operation,
                                leaseOwner(synchronous),
                                settings.lease(),
                                requestIdentity,
                                Precondition.created(instance))
                        .recorded()
                ? Optional.of(operation)
                : Optional.empty();
    }

    /** A synchronous operation is run by the request that records it: this replica holds its lease from the start. */
    private String leaseOwner(boolean synchronous) {
        return synchronous ? replica.value() : null;
    }

    private static OperationRecord accepted(
            OperationType type, String instanceId, String bindingId, Map<String, Object> request, Identity identity) {
        return new OperationRecord(
                UUID.randomUUID().toString(),
                instanceId,
                bindingId,
                type,
                OperationState.IN_PROGRESS,
                "accepted",
                request,
                null,
                identity.platform(),
                identity.originatingIdentity(),
                0,
                Instant.now(),
                null);
    }

    private static void refuse(String conflictingOperation) {
        throw new ServiceBrokerConcurrencyException("another operation (" + conflictingOperation
                + ") is in progress on this service instance; retry when it has finished");
    }

    /**
     * After the recording transaction committed: runs a synchronous operation in the request's thread, with the
     * instance and binding (null for an instance operation) as that transaction left them, and says how it ended.
     */
    OperationRunner.Result run(OperationRecord operation, InstanceRecord instance, BindingRecord binding) {
        return runner.runSynchronously(operation, instance, binding);
    }

    /** After the recording transaction committed: wakes the worker for an asynchronous operation. */
    void handOver() {
        worker.wake();
    }
}
