package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.provisioner.aws.Sweeper;
import java.util.List;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/**
 * Deletes what one run of a suite left in an account, in the order ElastiCache allows: every replication group whose
 * id starts with the run's prefix (no final snapshot), then the run's user groups, users, snapshots and parameter
 * groups, each kind swept until none is left ({@link Sweeper}). A live run names its resources with a prefix of its
 * own, so the reaper touches nothing else.
 */
final class CacheReaper {

    private CacheReaper() {}

    /** Deletes the run's leftovers; answers the ids of the replication groups it found. */
    static List<String> reap(ElastiCacheClient cache, String prefix) {
        List<String> found = ofRun(
                prefix,
                cache.describeReplicationGroupsPaginator(b -> {}).replicationGroups().stream()
                        .map(group -> group.replicationGroupId())
                        .toList());
        Sweeper.sweep(
                () -> ofRun(
                        prefix,
                        cache.describeReplicationGroupsPaginator(b -> {}).replicationGroups().stream()
                                .map(group -> group.replicationGroupId())
                                .toList()),
                id -> cache.deleteReplicationGroup(b -> b.replicationGroupId(id)));
        Sweeper.sweep(
                () -> ofRun(
                        prefix,
                        cache.describeUserGroupsPaginator(b -> {}).userGroups().stream()
                                .map(group -> group.userGroupId())
                                .toList()),
                id -> cache.deleteUserGroup(b -> b.userGroupId(id)));
        Sweeper.sweep(
                () -> ofRun(
                        prefix,
                        cache.describeUsersPaginator(b -> {}).users().stream()
                                .map(user -> user.userId())
                                .toList()),
                id -> cache.deleteUser(b -> b.userId(id)));
        Sweeper.sweep(
                () -> ofRun(
                        prefix,
                        cache.describeSnapshotsPaginator(b -> {}).snapshots().stream()
                                .map(snapshot -> snapshot.snapshotName())
                                .toList()),
                name -> cache.deleteSnapshot(b -> b.snapshotName(name)));
        Sweeper.sweep(
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
}
