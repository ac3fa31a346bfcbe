package io.paasbroker.provisioner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a live suite's reaper deletes one kind of cloud resource: each of what is left, round after round, until none
 * is left. A deletion the cloud refuses for now (the resource is being deleted already, busy with a backup or its
 * creation, gone) is asked again on the next round, so a resource that was busy when the reaper came is not left
 * behind.
 */
public final class Sweeper {

    private static final Duration LIMIT = Duration.ofMinutes(45);

    private Sweeper() {}

    /**
     * @param left what is left of the kind, listed anew each round
     * @param refusedForNow whether a deletion's failure is the cloud's "not now", asked again next round
     */
    public static void sweep(
            Supplier<List<String>> left, Consumer<String> delete, Predicate<RuntimeException> refusedForNow) {
        Instant deadline = Instant.now().plus(LIMIT);
        for (List<String> names = left.get(); !names.isEmpty(); names = left.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("still left after " + LIMIT + ": " + names);
            }
            for (String name : names) {
                try {
                    delete.accept(name);
                } catch (RuntimeException e) {
                    if (!refusedForNow.test(e)) {
                        throw e;
                    }
                }
            }
            try {
                Thread.sleep(Duration.ofSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
