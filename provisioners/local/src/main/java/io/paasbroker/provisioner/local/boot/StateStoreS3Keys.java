package io.paasbroker.provisioner.local.boot;

import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.provisioner.host.SecretStore;
import io.paasbroker.provisioner.local.s3.S3AccessKey;
import io.paasbroker.provisioner.local.s3.S3KeyDirectory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The local S3 server's keys in the broker's state: what each key reaches in {@code s3_access_keys}, its secret in the
 * credential store. The row is read on every request, so a revoked key is refused at once by every replica; the
 * secret of a key id never changes (a new bind makes a new id), so secrets are remembered to spare the credential
 * store (a Vault round trip) on every request.
 */
public final class StateStoreS3Keys implements S3KeyDirectory {

    private static final String SECRET = "secret_access_key";
    /** Beyond this many remembered secrets the memory starts again from empty; it only saves reads. */
    private static final int REMEMBERED_SECRETS = 10_000;

    private final JdbcClient jdbc;
    private final SecretStore credentials;
    private final Map<String, String> secretsByKeyId = new ConcurrentHashMap<>();

    public StateStoreS3Keys(JdbcClient jdbc, SecretStore credentials) {
        this.jdbc = jdbc;
        this.credentials = credentials;
    }

    /** The secret first: a row without its secret would be a key that cannot work, a secret alone is harmless. */
    @Override
    public void register(S3AccessKey key) {
        credentials.put(ref(key.bindingId()), Map.of(SECRET, key.secretAccessKey()));
        jdbc.sql("""
                        INSERT INTO s3_access_keys (binding_id, access_key_id, namespace, bucket, read_only)
                        VALUES (:binding, :key, :namespace, :bucket, :readOnly)
                        ON CONFLICT (binding_id) DO UPDATE SET access_key_id = excluded.access_key_id,
                            namespace = excluded.namespace, bucket = excluded.bucket, read_only = excluded.read_only,
                            created_at = now()
                        """)
                .param("binding", key.bindingId())
                .param("key", key.accessKeyId())
                .param("namespace", key.namespace())
                .param("bucket", key.bucket())
                .param("readOnly", key.readOnly())
                .update();
    }

    /** The row first: once it is gone the key is refused, whatever happens to the secret. */
    @Override
    public void revoke(String bindingId) {
        jdbc.sql("DELETE FROM s3_access_keys WHERE binding_id = ?")
                .param(bindingId)
                .update();
        credentials.delete(ref(bindingId));
    }

    @Override
    public void revokeNamespace(String namespace) {
        bindingsOn(namespace).forEach(this::revoke);
    }

    @Override
    public Optional<S3AccessKey> find(String accessKeyId) {
        return jdbc.sql("SELECT binding_id, namespace, bucket, read_only FROM s3_access_keys WHERE access_key_id = ?")
                .param(accessKeyId)
                .query((row, n) -> new Found(
                        row.getString("binding_id"),
                        row.getString("namespace"),
                        row.getString("bucket"),
                        row.getBoolean("read_only")))
                .optional()
                .flatMap(found -> secret(accessKeyId, found.bindingId())
                        .map(secret -> new S3AccessKey(
                                found.bindingId(),
                                accessKeyId,
                                secret,
                                found.namespace(),
                                found.bucket(),
                                found.readOnly())));
    }

    @Override
    public List<String> bindingsOn(String namespace) {
        return jdbc.sql("SELECT binding_id FROM s3_access_keys WHERE namespace = ? ORDER BY binding_id")
                .param(namespace)
                .query(String.class)
                .list();
    }

    private record Found(String bindingId, String namespace, String bucket, boolean readOnly) {}

    private Optional<String> secret(String accessKeyId, String bindingId) {
        String remembered = secretsByKeyId.get(accessKeyId);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        Optional<String> stored = credentials.get(ref(bindingId)).map(secret -> (String) secret.get(SECRET));
        stored.ifPresent(secret -> {
            if (secretsByKeyId.size() >= REMEMBERED_SECRETS) {
                secretsByKeyId.clear();
            }
            secretsByKeyId.put(accessKeyId, secret);
        });
        return stored;
    }

    private static String ref(String bindingId) {
        return CredentialRefs.s3Key(bindingId);
    }
}
