package io.paasbroker.provisioner.local.s3;

import java.util.List;
import java.util.Optional;

/**
 * Where the access keys the local S3 server accepts are kept. The broker keeps them in its own state and credential
 * store, so every replica's server sees a key as soon as it is issued and stops accepting it as soon as it is revoked,
 * and keys outlive restarts.
 */
public interface S3KeyDirectory {

    /** Records the binding's key, replacing any key the binding had (a repeated bind issues a new pair). */
    void register(S3AccessKey key);

    /** Forgets the binding's key; no error when it has none. */
    void revoke(String bindingId);

    /** Forgets every key on the namespace. */
    void revokeNamespace(String namespace);

    Optional<S3AccessKey> find(String accessKeyId);

    /** The bindings that hold a key on the namespace. */
    List<String> bindingsOn(String namespace);
}
