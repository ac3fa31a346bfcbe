package io.paasbroker.aws.testbed.fake;

import io.paasbroker.opensearch.node.process.LoopbackCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;

/**
 * The test bed's CA and the one certificate it signed, for 127.0.0.1 and localhost, which every data plane behind the
 * fakes serves TLS with: what AWS's regional CA bundle is to RDS, ElastiCache and OpenSearch Service. Made once under
 * the test bed's work directory, readable by its owner only.
 */
public final class TestBedCertificates {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path directory;

    private TestBedCertificates(Path directory) {
        this.directory = directory;
    }

    /** The certificates in {@code directory}, made there unless they are already. */
    public static TestBedCertificates in(Path where) {
        Path directory = where.toAbsolutePath();
        try {
            Files.createDirectories(directory, OWNER_ONLY);
            LoopbackCertificates.writeIfAbsent(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test bed's certificates to " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test bed's certificates", e);
        }
        return new TestBedCertificates(directory);
    }

    /** The CA's certificate, PEM: what clients verify the data planes with. */
    public String caCertificatePem() {
        try {
            return Files.readString(caFile(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test bed's CA certificate", e);
        }
    }

    public Path caFile() {
        return directory.resolve(LoopbackCertificates.CA_FILE);
    }

    /** Where the CA, the certificate and its key are, as {@code OpenSearchNode.Builder.certificates} takes them. */
    Path directory() {
        return directory;
    }

    Path certificateFile() {
        return directory.resolve(LoopbackCertificates.NODE_CERT_FILE);
    }

    Path keyFile() {
        return directory.resolve(LoopbackCertificates.NODE_KEY_FILE);
    }
}
