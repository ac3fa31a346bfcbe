package io.paasbroker.broker.operations;

import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.OperationRepository;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Renews the leases of the operations this replica is running, so no other replica takes over a live one, and fences
 * a step that lost its lease: before each backing call a step asks {@link #requireHeld}, which refuses once a renewal
 * found the lease gone, and asks the state store once the last renewal this replica saw is older than the lease
 * allows (the state store was away, or the renewals failed): another replica may have taken the operation over.
 */
@Component
public class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** Operations this replica runs, and when (System.nanoTime) their lease was last known to be extended. */
    private final Map<String, Long> heldSince = new ConcurrentHashMap<>();

    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final OperationRepository operations;
    private final ReplicaId replica;
    private final BrokerProperties.Operations settings;

    public LeaseKeeper(OperationRepository operations, ReplicaId replica, BrokerProperties properties) {
        this.operations = operations;
        this.replica = replica;
        this.settings = properties.operations();
    }

    /** Called right after the lease was taken (claimed, or recorded with the operation). */
    public void hold(String operationId) {
        lost.remove(operationId);
        heldSince.put(operationId, System.nanoTime());
    }

    public void release(String operationId) {
        heldSince.remove(operationId);
        lost.remove(operationId);
    }

    public int holding() {
        return heldSince.size();
    }

    /** Whether this replica is running the operation. */
    public boolean runs(String operationId) {
        return heldSince.containsKey(operationId);
    }

    public void renew() {
        long asked = System.nanoTime();
        Set<String> running = Set.copyOf(heldSince.keySet());
        try {
            List<String> held = operations.renewLeases(replica.value(), running, settings.lease());
            held.forEach(id -> heldSince.computeIfPresent(id, (key, since) -> asked));
            running.stream().filter(id -> !held.contains(id)).forEach(this::markLost);
        } catch (RuntimeException e) {
            log.warn("Could not renew operation leases: {}", e.getMessage());
        }
    }

    /**
     * Returns while this replica holds the operation's lease; throws {@link LeaseLostException} once it may not. A
     * lease renewed within the last two thirds of its length is held without asking anyone.
     */
    public void requireHeld(String operationId) {
        if (lost.contains(operationId)) {
            throw new LeaseLostException(operationId);
        }
        Long since = heldSince.get(operationId);
        long sure = settings.lease().toNanos() * 2 / 3;
        if (since != null && System.nanoTime() - since < sure) {
            return;
        }
        long asked = System.nanoTime();
        boolean held;
        try {
            held = operations
                    .renewLeases(replica.value(), Set.of(operationId), settings.lease())
                    .contains(operationId);
        } catch (RuntimeException e) {
            // the state store cannot say: the lease may have run out, so another replica may run the step
            throw new LeaseLostException(operationId);
        }
        if (!held) {
            markLost(operationId);
            throw new LeaseLostException(operationId);
        }
        heldSince.computeIfPresent(operationId, (key, previous) -> asked);
    }

    private void markLost(String operationId) {
        if (heldSince.containsKey(operationId) && lost.add(operationId)) {
            log.warn("Operation {} is no longer leased to this replica; its step stops here", operationId);
        }
    }
}
