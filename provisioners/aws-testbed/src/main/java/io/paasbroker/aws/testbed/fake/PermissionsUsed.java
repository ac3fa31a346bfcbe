package io.paasbroker.aws.testbed.fake;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The IAM actions ({@code rds:CreateDBInstance}) the requests each access key signed needed. */
final class PermissionsUsed {

    private final Map<String, Set<String>> byKey = new ConcurrentHashMap<>();

    void add(String keyId, String action) {
        byKey.computeIfAbsent(keyId, key -> ConcurrentHashMap.newKeySet()).add(action);
    }

    Set<String> of(String keyId) {
        return Set.copyOf(byKey.getOrDefault(keyId, Set.of()));
    }
}
