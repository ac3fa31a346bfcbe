package io.paasbroker.embedded;

import io.paasbroker.opensearch.node.process.LoopbackCertificates;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.host.DataDirectory;
import io.paasbroker.provisioner.host.OwnerOnlyDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The embedded default's TLS: a CA made on the first start, kept in {@code tls/} under the data directory (readable by
 * the broker's user only, never anywhere else), and one certificate it signed for 127.0.0.1 and localhost that every
 * embedded server serves. Applications verify the servers with the CA their credentials carry.
 */
public final class EmbeddedCertificates {

    private final Path directory;
    private final String caCertificatePem;

    private EmbeddedCertificates(Path directory, String caCertificatePem) {
        this.directory = directory;
        this.caCertificatePem = caCertificatePem;
    }

    public static EmbeddedCertificates writeIfAbsent(DataDirectory data) {
        Path directory = OwnerOnlyDirectory.create(data.resolve("tls"));
        try {
            LoopbackCertificates.writeIfAbsent(directory);
            return new EmbeddedCertificates(
                    directory,
                    Files.readString(directory.resolve(LoopbackCertificates.CA_FILE), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedded servers' certificates in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the embedded servers' certificates", e);
        }
    }

    /** The directory of the three files, in {@link LoopbackCertificates}' names. */
    public Path directory() {
        return directory;
    }

    public Path caFile() {
        return directory.resolve(LoopbackCertificates.CA_FILE);
    }

    public Path certificateFile() {
        return directory.resolve(LoopbackCertificates.NODE_CERT_FILE);
    }

    public Path keyFile() {
        return directory.resolve(LoopbackCertificates.NODE_KEY_FILE);
    }

    /** How clients reach the embedded servers: TLS, verified against the CA. */
    public ServerTls serverTls() {
        return ServerTls.verifiedBy(caCertificatePem);
    }
}
