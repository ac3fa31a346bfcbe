package io.paasbroker.provisioner.host;

import java.util.Optional;

/**
 * Work that must run on one broker replica at a time (rotating a server's admin password): held in the broker's state
 * store, so it holds across replicas, and released when the replica holding it dies.
 */
public interface ReplicaLock {

    /** Waits until no replica holds the lock named {@code name}, then holds it until the result is closed. */
    Held acquire(String name);

    /** Takes the lock if no replica holds it now; empty when one does. */
    Optional<Held> tryAcquire(String name);

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
