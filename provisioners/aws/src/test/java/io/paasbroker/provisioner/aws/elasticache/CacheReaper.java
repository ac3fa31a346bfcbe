package io.paasbroker.provisioner.aws.elasticache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;

/**
 * Deletes what one run of a suite left in an account, in the order ElastiCache allows: every replication group whose
 * id starts with the run's prefix (no final snapshot), then the run's user groups, users, snapshots and parameter
 * groups. Each kind is swept until none is left, asking again for what ElastiCache refused while busy. A live run
 * names its resources with a prefix of its own, so the reaper touches nothing else.
 */
final class CacheReaper {

    private static final Duration DELETIONS = Duration.ofMinutes(45);

    private CacheReaper() {}

    /** Deletes the run's leftovers; answers the ids of the replication groups it found. */
    static List<String> reap(ElastiCacheClient cache, String prefix) {
        List<String> found = ofRun(
                prefix,
                cache.describeReplicationGroupsPaginator(b -> {}).replicationGroups().stream()
                        .map(group -> group.replicationGroupId())
                        .toList());
        sweep(
                () -> ofRun(
                        prefix,
                        cache.describeReplicationGroupsPaginator(b -> {}).replicationGroups().stream()
                                .map(group -> group.replicationGroupId())
                                .toList()),
                id -> cache.deleteReplicationGroup(b -> b.replicationGroupId(id)));
        sweep(
                () -> ofRun(
                        prefix,
                        cache.describeUserGroupsPaginator(b -> {}).userGroups().stream()
                                .map(group -> group.userGroupId())
                                .toList()),
                id -> cache.deleteUserGroup(b -> b.userGroupId(id)));
        sweep(
                () -> ofRun(
                        prefix,
                        cache.describeUsersPaginator(b -> {}).users().stream()
                                .map(user -> user.userId())
                                .toList()),
                id -> cache.deleteUser(b -> b.userId(id)));
        sweep(
                () -> ofRun(
                        prefix,
                        cache.describeSnapshotsPaginator(b -> {}).snapshots().stream()
                                .map(snapshot -> snapshot.snapshotName())
                                .toList()),
                name -> cache.deleteSnapshot(b -> b.snapshotName(name)));
        sweep(
                () -> ofRun(
                        prefix,
                        cache.describeCacheParameterGroupsPaginator(b -> {}).cacheParameterGroups().stream()
                                .map(group -> group.cacheParameterGroupName())
                                .toList()),
                name -> cache.deleteCacheParameterGroup(b -> b.cacheParameterGroupName(name)));
        return found;
    }

    private static List<String> ofRun(String prefix, List<String> names) {
        return names.stream().filter(name -> name.startsWith(prefix + "-")).toList();
    }

    /**
     * Deletes each of {@code left} until none is left; a deletion ElastiCache refuses (being deleted already, busy,
     * gone) is asked again on the next round.
     */
    private static void sweep(Supplier<List<String>> left, Consumer<String> delete) {
        Instant deadline = Instant.now().plus(DELETIONS);
        for (List<String> names = left.get(); !names.isEmpty(); names = left.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("still left after " + DELETIONS + ": " + names);
            }
            for (String name : names) {
                try {
                    delete.accept(name);
                } catch (ElastiCacheException e) {
                    // refused for now: asked again on the next round
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
