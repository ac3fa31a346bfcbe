package io.paasbroker.bench.cycle;

import io.paasbroker.provisioner.local.s3.S3AccessKey;
import io.paasbroker.provisioner.local.s3.S3KeyDirectory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 raw side's key directory: in memory, the least a key directory can cost. The broker's ({@code
 * StateStoreS3Keys}) keeps what a key reaches in its state store (table {@code s3_access_keys}) and the secret in its
 * credential store, so every replica sees a key at once; that work is part of the broker's cycle, not of the floor.
 */
final class InMemoryS3Keys implements S3KeyDirectory {

    private final Map<String, S3AccessKey> byBinding = new HashMap<>();
    private final Map<String, S3AccessKey> byKeyId = new HashMap<>();

    @Override
    public synchronized void register(S3AccessKey key) {
        revoke(key.bindingId());
        byBinding.put(key.bindingId(), key);
        byKeyId.put(key.accessKeyId(), key);
    }

    @Override
    public synchronized void revoke(String bindingId) {
        S3AccessKey key = byBinding.remove(bindingId);
        if (key != null) {
            byKeyId.remove(key.accessKeyId());
        }
    }

    @Override
    public synchronized void revokeNamespace(String namespace) {
        bindingsOn(namespace).forEach(this::revoke);
    }

    @Override
    public synchronized Optional<S3AccessKey> find(String accessKeyId) {
        return Optional.ofNullable(byKeyId.get(accessKeyId));
    }

    @Override
    public synchronized List<String> bindingsOn(String namespace) {
        return byBinding.values().stream()
                .filter(key -> key.namespace().equals(namespace))
                .map(S3AccessKey::bindingId)
                .sorted()
                .toList();
    }
}
