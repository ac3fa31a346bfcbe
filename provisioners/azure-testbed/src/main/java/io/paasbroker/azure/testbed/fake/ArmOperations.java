package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Azure Resource Manager's long-running operations: the work a request started runs in the background, on the real
 * engines; its status is {@code InProgress} until the work ends, then {@code Succeeded} (with the resource the work
 * answered, or none for a deletion) or {@code Failed} (with the {@link ArmError} it threw).
 */
public final class ArmOperations implements AutoCloseable {

    /** Where one operation stands. */
    public static final class Operation {

        private final String id;
        private final String subscriptionId;
        private final String namespace;
        private final String location;
        private final Instant started;
        private volatile String status = "InProgress";
        private volatile JsonNode result;
        private volatile ArmError error;
        private volatile Instant ended;

        private Operation(String id, String subscriptionId, String namespace, String location, Instant started) {
            this.id = id;
            this.subscriptionId = subscriptionId;
            this.namespace = namespace;
            this.location = location;
            this.started = started;
        }

        public String id() {
            return id;
        }

        /** The subscription of the resource it is on. */
        public String subscriptionId() {
            return subscriptionId;
        }

        /** The resource provider's namespace: {@code Microsoft.DBforPostgreSQL}. */
        public String namespace() {
            return namespace;
        }

        public String location() {
            return location;
        }

        public Instant started() {
            return started;
        }

        /** {@code InProgress}, {@code Succeeded} or {@code Failed}. */
        public String status() {
            return status;
        }

        public Optional<JsonNode> result() {
            return Optional.ofNullable(result);
        }

        public Optional<ArmError> error() {
            return Optional.ofNullable(error);
        }

        public Optional<Instant> ended() {
            return Optional.ofNullable(ended);
        }

        public boolean running() {
            return status.equals("InProgress");
        }
    }

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-arm-operation");
        thread.setDaemon(true);
        return thread;
    });
    private final Clock clock;
    private volatile Duration least = Duration.ZERO;

    public ArmOperations(Clock clock) {
        this.clock = clock;
    }

    /**
     * Makes every operation run at least {@code least} before its work is done, as Azure's take minutes: a request
     * sent again soon after (by a client's retry of a request whose answer it lost) meets the operation still running.
     */
    public void lastAtLeast(Duration least) {
        this.least = least;
    }

    /**
     * Starts {@code task} on a resource of {@code request} in the background: what it answers is the operation's
     * result (null: none); an {@link ArmError} it throws fails it with that error, any other exception as Azure's
     * internal error. {@code namespace}: the resource provider's.
     */
    public Operation start(ArmRequest request, String namespace, Supplier<JsonNode> task) {
        Operation operation = new Operation(
                UUID.randomUUID().toString(),
                request.group().subscriptionId(),
                namespace,
                request.group().location(),
                clock.instant());
        operations.put(operation.id(), operation);
        work.execute(() -> {
            try {
                Thread.sleep(least.toMillis());
                operation.result = task.get();
                operation.ended = clock.instant();
                operation.status = "Succeeded";
            } catch (ArmError e) {
                end(operation, e);
            } catch (RuntimeException e) {
                // the test bed's own failure, its cause named so a failing suite says what broke
                String cause = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
                end(operation, new ArmError(500, "InternalServerError", "An unexpected error occurred: " + e + cause));
            } catch (InterruptedException e) {
                // the test bed stops
                Thread.currentThread().interrupt();
            }
        });
        return operation;
    }

    private void end(Operation operation, ArmError error) {
        operation.error = error;
        operation.ended = clock.instant();
        operation.status = "Failed";
    }

    public Optional<Operation> find(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    /** Stops the operations, waiting for those running: none may start a server after its fake stopped them all. */
    @Override
    public void close() {
        work.shutdownNow();
        try {
            if (!work.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the fake's operations did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
