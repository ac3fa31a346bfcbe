package io.paasbroker.provisioner.local.s3;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;
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
    private final String publicHost;
    private final int publicPort;

    private LocalS3Server(S3Proxy proxy, String publicHost, int publicPort) {
        this.proxy = proxy;
        this.publicHost = publicHost;
        this.publicPort = publicPort;
    }

    /**
     * Starts listening on {@code host:port} (port 0: any free one). {@code publicHost}: the name applications use to
     * reach it, which goes into their credentials.
     */
    public static LocalS3Server start(
            String host, int port, String publicHost, S3Namespaces namespaces, S3KeyDirectory keys) {
        // S3Proxy wants a default identity and store: an identity nobody knows, and a store that refuses everything
        BlobStore nothing = new TenantBucketStore(new TransientNio2BlobStore(), "-", true);
        S3Proxy proxy = S3Proxy.builder()
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(
                        AuthenticationType.AWS_V2_OR_V4,
                        "unused-" + UUID.randomUUID(),
                        UUID.randomUUID().toString())
                .blobStore(nothing)
                .build();
        proxy.setBlobStoreLocator((identity, container, blob) -> grant(identity, namespaces, keys));
        try {
            proxy.start();
            waitUntilStarted(proxy);
        } catch (Exception e) {
            throw new IllegalStateException("the local S3 server did not start on " + host + ":" + port, e);
        }
        return new LocalS3Server(proxy, publicHost, proxy.getPort());
    }

    private static AccessGrant grant(String identity, S3Namespaces namespaces, S3KeyDirectory keys) {
        if (identity == null) {
            return null;
        }
        Optional<S3AccessKey> key = keys.find(identity);
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

    public int port() {
        return publicPort;
    }

    /** The endpoint applications use: path-style, plain HTTP on loopback. */
    public String endpoint() {
        return "http://" + publicHost + ":" + publicPort;
    }

    public String publicHost() {
        return publicHost;
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
