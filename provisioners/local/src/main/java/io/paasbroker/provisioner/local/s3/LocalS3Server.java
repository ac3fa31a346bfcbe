package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ServedCertificate;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3 API server (S3Proxy) the broker runs itself for its {@code local} S3 plans. It accepts only the keys in the
 * {@link S3KeyDirectory}, and each key reaches one bucket of one namespace ({@link TenantBucketStore}); unknown keys
 * and anonymous requests reach nothing.
 */
public final class LocalS3Server implements AutoCloseable {

    /** The region the server claims; S3 clients need one to sign requests. */
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final String scheme;
    private final ServerTls tls;
    private final String publicHost;
    private final int publicPort;
    private final S3Namespaces namespaces;
    private final Map<String, S3AccessKey> ownKeys;

    private LocalS3Server(
            S3Proxy proxy,
            ServerTls tls,
            String publicHost,
            int publicPort,
            S3Namespaces namespaces,
            Map<String, S3AccessKey> ownKeys) {
        this.proxy = proxy;
        this.tls = tls;
        this.scheme = tls.enabled() ? "https" : "http";
        this.publicHost = publicHost;
        this.publicPort = publicPort;
        this.namespaces = namespaces;
        this.ownKeys = ownKeys;
    }

    /**
     * Starts listening on {@code host:port} (port 0: any free one), over HTTPS alone when it has a
     * {@code certificate}. {@code publicHost}: the name applications use to reach it, which goes into their
     * credentials (and must be one the certificate names).
     */
    public static LocalS3Server start(
            String host,
            int port,
            String publicHost,
            S3Namespaces namespaces,
            S3KeyDirectory keys,
            Optional<ServedCertificate> certificate) {
        // S3Proxy wants a default identity and store: an identity nobody knows, and a store that refuses everything
        BlobStore nothing = new TenantBucketStore(new TransientNio2BlobStore(), "-", true);
        S3Proxy.Builder builder = S3Proxy.builder();
        if (certificate.isPresent()) {
            builder.secureEndpoint(URI.create("https://" + host + ":" + port))
                    .sslContext(certificate.get().serverSslContext());
        } else {
            builder.endpoint(URI.create("http://" + host + ":" + port));
        }
        S3Proxy proxy = builder.awsAuthentication(
                        AuthenticationType.AWS_V2_OR_V4,
                        "unused-" + UUID.randomUUID(),
                        UUID.randomUUID().toString())
                .blobStore(nothing)
                .build();
        Map<String, S3AccessKey> ownKeys = new ConcurrentHashMap<>();
        proxy.setBlobStoreLocator((identity, container, blob) -> grant(identity, namespaces, ownKeys, keys));
        try {
            proxy.start();
            waitUntilStarted(proxy);
        } catch (Exception e) {
            throw new IllegalStateException("the local S3 server did not start on " + host + ":" + port, e);
        }
        ServerTls tls = certificate.map(ServedCertificate::clientTls).orElse(ServerTls.OFF);
        return new LocalS3Server(
                proxy,
                tls,
                publicHost,
                certificate.isPresent() ? proxy.getSecurePort() : proxy.getPort(),
                namespaces,
                ownKeys);
    }

    private static AccessGrant grant(
            String identity, S3Namespaces namespaces, Map<String, S3AccessKey> ownKeys, S3KeyDirectory keys) {
        if (identity == null) {
            return null;
        }
        Optional<S3AccessKey> key = Optional.ofNullable(ownKeys.get(identity)).or(() -> keys.find(identity));
        return key.map(k -> new AccessGrant(
                        k.secretAccessKey(),
                        new TenantBucketStore(namespaces.store(k.namespace()), k.bucket(), k.readOnly())))
                .orElse(null);
    }

    private static void waitUntilStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy state " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /**
     * Gives the broker process itself a key to a bucket of its own (its backups), held in memory only: a key no
     * binding id can replace, valid until this server stops.
     */
    public S3AccessKey ownKey(String bucket) {
        BlobStore store = namespaces.store(bucket);
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        S3AccessKey key = new S3AccessKey(
                "broker:" + bucket, S3Names.accessKeyId(), S3Names.secretAccessKey(), bucket, bucket, false);
        ownKeys.put(key.accessKeyId(), key);
        return key;
    }

    public int port() {
        return publicPort;
    }

    /** The endpoint applications use: path-style. */
    public String endpoint() {
        return scheme + "://" + publicHost + ":" + publicPort;
    }

    public String publicHost() {
        return publicHost;
    }

    /** How clients verify it: HTTPS with its certificate's CA, or plain HTTP. */
    public ServerTls tls() {
        return tls;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the local S3 server did not stop", e);
        }
    }
}
