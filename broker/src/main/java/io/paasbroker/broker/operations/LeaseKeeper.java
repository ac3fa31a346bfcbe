package io.paasbroker.broker.operations;

import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.OperationRepository;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Renews the leases of the operations this replica is running, so no other replica takes over a live one. */
@Component
public class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final OperationRepository operations;
    private final ReplicaId replica;
    private final BrokerProperties.Operations settings;

    public LeaseKeeper(OperationRepository operations, ReplicaId replica, BrokerProperties properties) {
        this.operations = operations;
        this.replica = replica;
        this.settings = properties.operations();
    }

    public void hold(String operationId) {
        running.add(operationId);
    }

    public void release(String operationId) {
        running.remove(operationId);
    }

    public int holding() {
        return running.size();
    }

    public void renew() {
        try {
            operations.renewLeases(replica.value(), Set.copyOf(running), settings.lease());
        } catch (RuntimeException e) {
            log.warn("Could not renew operation leases: {}", e.getMessage());
        }
    }
}
