package io.paasbroker.embedded;

import io.paasbroker.opensearch.node.OpenSearchNode;
import io.paasbroker.provisioner.host.DataDirectory;

/**
 * A real OpenSearch 2.19 node with the security plugin, run as a JVM of its own under the data directory, HTTPS on a
 * loopback port kept across restarts, with the embedded default's certificate. Its admin
 * password is generated on first start and kept in its home. It stops with the broker, even after a SIGKILL.
 */
public final class EmbeddedOpenSearchServer implements AutoCloseable {

    public static final String ADMIN = "admin";

    private final OpenSearchNode node;

    private EmbeddedOpenSearchServer(OpenSearchNode node) {
        this.node = node;
    }

    public static EmbeddedOpenSearchServer start(DataDirectory data, EmbeddedCertificates certificates) {
        return new EmbeddedOpenSearchServer(OpenSearchNode.builder(data.resolve("opensearch"))
                .port(data.keptPort("opensearch"))
                .https(true)
                .certificates(certificates.directory())
                .heap("384m")
                .start());
    }

    public int port() {
        return node.port();
    }

    public String scheme() {
        return node.scheme();
    }

    public String adminUsername() {
        return node.adminUsername();
    }

    public String adminPassword() {
        return node.adminPassword();
    }

    @Override
    public void close() {
        node.stop();
    }
}
