package io.paasbroker.broker.osb;

import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRecord.InstanceState;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.broker.state.OperationRecord;
import io.paasbroker.broker.state.OperationRecord.OperationType;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators trigger a backup of an instance (under /admin, operator credentials). It is the same operation as a
 * platform's {@code {"backup": "now"}} update, always asynchronous: the answer names the operation, which the
 * instance's last_operation reports like any other.
 */
@RestController
class OperatorBackupController {

    private final InstanceRepository instances;
    private final PublishedCatalog catalog;
    private final OperationAcceptor acceptor;
    private final TransactionTemplate transaction;

    OperatorBackupController(
            InstanceRepository instances,
            PublishedCatalog catalog,
            OperationAcceptor acceptor,
            TransactionTemplate transaction) {
        this.instances = instances;
        this.catalog = catalog;
        this.acceptor = acceptor;
        this.transaction = transaction;
    }

    @PostMapping("/admin/instances/{instanceId}/backups")
    ResponseEntity<Map<String, String>> trigger(@PathVariable String instanceId, Principal operator) {
        Optional<InstanceRecord> found = instances.find(instanceId).filter(InstanceRecord::exists);
        if (found.isEmpty()) {
            return answer(HttpStatus.NOT_FOUND, "description", "no instance " + instanceId);
        }
        InstanceRecord instance = found.get();
        Optional<ServiceOffering> service = catalog.service(instance.serviceId());
        Optional<Plan> plan = service.flatMap(s -> catalog.plan(s.id(), instance.planId()));
        if (plan.isEmpty() || !catalog.provisioner(service.get(), plan.get()).hasBackups()) {
            return answer(HttpStatus.BAD_REQUEST, "description", "instance " + instanceId + " has no backups");
        }
        Identity identity = new Identity("operator", "{\"operator\":\"" + operator.getName() + "\"}");
        OperationRecord operation;
        try {
            operation = transaction.execute(status -> {
                InstanceRecord locked = instances.lock(instanceId).orElseThrow();
                if (locked.state() != InstanceState.PROVISIONED) {
                    acceptor.requireNoConflict(instanceId, true);
                    throw new ServiceBrokerConcurrencyException(
                            "the instance is " + locked.state().column());
                }
                return acceptor.record(
                        OperationType.UPDATE,
                        instanceId,
                        null,
                        Map.of(BackupParameters.BACKUP, "now"),
                        identity,
                        null,
                        false,
                        instances.stateChange(instanceId, InstanceState.UPDATING));
            });
        } catch (ServiceBrokerConcurrencyException e) {
            return answer(HttpStatus.CONFLICT, "description", e.getMessage() + "; try again when it has ended");
        }
        acceptor.handOver();
        return answer(HttpStatus.ACCEPTED, "operation", operation.id());
    }

    private static ResponseEntity<Map<String, String>> answer(HttpStatus status, String key, String value) {
        return ResponseEntity.status(status).body(Map.of(key, value));
    }
}
