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
import io.paasbroker.broker.state.StateChange;
import java.time.Instant;
import java.util.Map;
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
     * binding changes exclude instance-level ones. Call with the instance row locked.
     */
    void requireNoConflict(String instanceId, boolean instanceLevel) {
        operations.activeOnInstance(instanceId).stream()
                .filter(active -> instanceLevel || !active.type().onBinding())
                .findFirst()
                .ifPresent(active -> {
                    throw new ServiceBrokerConcurrencyException(
                            "another operation (" + active.type().column() + ", " + active.id()
                                    + ") is in progress on this service instance; retry when it has finished");
                });
    }

    /**
     * Records a new operation, who asked for it and the changes it makes to its instance or binding at once, in one
     * statement inside the caller's transaction.
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
        OperationRecord operation = new OperationRecord(
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
                Instant.now());
        operations.insert(operation, synchronous ? replica.value() : null, settings.lease(), requestIdentity, changes);
        return operation;
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
