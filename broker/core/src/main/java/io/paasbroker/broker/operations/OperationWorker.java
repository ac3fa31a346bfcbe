package io.paasbroker.broker.operations;

import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.broker.state.OperationRecord;
import io.paasbroker.broker.state.OperationRepository;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Claims due operations from the state store, those accepted asynchronously and those whose replica died, and runs
 * them on a bounded pool. Any replica may claim any operation; leases keep each with one replica at a time.
 */
@Component
public class OperationWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OperationWorker.class);

    private final OperationRepository operations;
    private final OperationRunner runner;
    private final LeaseKeeper leases;
    private final ReplicaId replica;
    private final BrokerProperties.Operations settings;
    private final Semaphore slots;
    private ScheduledExecutorService dispatcher;
    private ExecutorService workers;
    private volatile boolean running;

    public OperationWorker(
            OperationRepository operations,
            OperationRunner runner,
            LeaseKeeper leases,
            ReplicaId replica,
            BrokerProperties properties) {
        this.operations = operations;
        this.runner = runner;
        this.leases = leases;
        this.replica = replica;
        this.settings = properties.operations();
        this.slots = new Semaphore(settings.workers());
    }

    /** Looks for work now rather than at the next poll: an operation was just accepted. */
    public void wake() {
        if (running) {
            dispatcher.execute(this::dispatch);
        }
    }

    private void dispatch() {
        int free = slots.availablePermits();
        if (free == 0 || !running) {
            return;
        }
        List<OperationRecord> claimed;
        try {
            claimed = operations.claimDue(replica.value(), settings.lease(), free);
        } catch (RuntimeException e) {
            log.warn("Could not claim operations: {}", e.getMessage());
            return;
        }
        for (OperationRecord operation : claimed) {
            slots.acquireUninterruptibly();
            leases.hold(operation.id());
            try {
                workers.execute(() -> {
                    try {
                        runner.runClaimed(operation);
                    } finally {
                        slots.release();
                        wake();
                    }
                });
            } catch (RejectedExecutionException e) {
                // claimed as the worker stopped: its lease runs out and another replica, or the next start, runs it
                leases.release(operation.id());
                slots.release();
            }
        }
    }

    @Override
    public void start() {
        dispatcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "operation-dispatcher"));
        workers = Executors.newFixedThreadPool(settings.workers(), r -> daemon(r, "operation-worker"));
        running = true;
        long poll = settings.pollInterval().toMillis();
        dispatcher.scheduleWithFixedDelay(this::dispatch, poll, poll, TimeUnit.MILLISECONDS);
        long renew = Math.max(100, settings.lease().toMillis() / 3);
        dispatcher.scheduleWithFixedDelay(leases::renew, renew, renew, TimeUnit.MILLISECONDS);
        log.info("Operation worker {} started: {} workers, lease {}", replica, settings.workers(), settings.lease());
    }

    /**
     * Claims nothing more, then waits for the running operations; their leases are renewed until they end, so no other
     * replica takes one over while it still runs here.
     */
    @Override
    public void stop() {
        running = false;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn(
                        "{} operations still running at shutdown; their leases will run out and another start resumes them",
                        leases.holding());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dispatcher.shutdown();
        }
    }

    /**
     * Stops after the web server has let its requests finish (Spring Boot's graceful shutdown stops at {@code
     * DEFAULT_PHASE - 1024}), since a synchronous request's operation holds a lease this worker renews.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1536;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
