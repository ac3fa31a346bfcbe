package io.paasbroker.provisioner.local.s3;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keys held in memory, as the broker's state store would hold them, for tests of the provisioner alone. */
final class InMemoryS3Keys implements S3KeyDirectory {

    private final Map<String, S3AccessKey> byBinding = new ConcurrentHashMap<>();

    @Override
    public void register(S3AccessKey key) {
        byBinding.put(key.bindingId(), key);
    }

    @Override
    public void revoke(String bindingId) {
        byBinding.remove(bindingId);
    }

    @Override
    public void revokeNamespace(String namespace) {
        byBinding.values().removeIf(k -> k.namespace().equals(namespace));
    }

    @Override
    public Optional<S3AccessKey> find(String accessKeyId) {
        return byBinding.values().stream()
                .filter(k -> k.accessKeyId().equals(accessKeyId))
                .findFirst();
    }

    @Override
    public List<String> bindingsOn(String namespace) {
        return byBinding.values().stream()
                .filter(k -> k.namespace().equals(namespace))
                .map(S3AccessKey::bindingId)
                .toList();
    }
}
