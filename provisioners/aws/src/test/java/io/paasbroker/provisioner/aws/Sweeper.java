package io.paasbroker.provisioner.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * How a reaper deletes one kind of resource: each of what is left, round after round, until none is left. A deletion
 * AWS refuses (the resource is being deleted already, busy with a backup or its creation, gone) is asked again on the
 * next round, so a resource that was busy when the reaper came is not left behind.
 */
public final class Sweeper {

    private static final Duration LIMIT = Duration.ofMinutes(45);

    private Sweeper() {}

    public static void sweep(Supplier<List<String>> left, Consumer<String> delete) {
        Instant deadline = Instant.now().plus(LIMIT);
        for (List<String> names = left.get(); !names.isEmpty(); names = left.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("still left after " + LIMIT + ": " + names);
            }
            for (String name : names) {
                try {
                    delete.accept(name);
                } catch (AwsServiceException refusedForNow) {
                    // asked again on the next round
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
