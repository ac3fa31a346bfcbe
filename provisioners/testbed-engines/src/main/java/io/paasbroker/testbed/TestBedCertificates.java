package io.paasbroker.testbed;

import io.paasbroker.opensearch.node.process.LoopbackCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test bed's CA and the one certificate it signed, for 127.0.0.1 and localhost, which every data plane behind the
 * fakes serves TLS with: what a cloud's CA bundle is to its managed databases, caches and search domains. Made once
 * under the test bed's work directory, readable by its owner only.
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
        return in(where, List.of());
    }

    /**
     * The same, the certificate valid for {@code moreAddresses} of the loopback network as well: the addresses of
     * servers a cloud runs on a port of their own each ({@link ServerAddresses}).
     */
    public static TestBedCertificates in(Path where, List<InetAddress> moreAddresses) {
        Path directory = where.toAbsolutePath();
        try {
            Files.createDirectories(directory, OWNER_ONLY);
            LoopbackCertificates.writeIfAbsent(directory, moreAddresses);
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
    public Path directory() {
        return directory;
    }

    public Path certificateFile() {
        return directory.resolve(LoopbackCertificates.NODE_CERT_FILE);
    }

    public Path keyFile() {
        return directory.resolve(LoopbackCertificates.NODE_KEY_FILE);
    }

    /** What a client of the JDK's trusts: the test bed's CA, as Azure's or AWS's CAs are trusted elsewhere. */
    public SSLContext clientSslContext() {
        try (InputStream ca = Files.newInputStream(caFile())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the test bed's CA", e);
        }
    }

    /** What a server of the JDK's serves TLS with: the certificate (and the CA that signed it) and its key. */
    public SSLContext serverSslContext() {
        try {
            String keyPem = Files.readString(keyFile(), StandardCharsets.US_ASCII);
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(
                            Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", ""))));
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Certificate[] chain = new Certificate[2];
            try (InputStream certificate = Files.newInputStream(certificateFile());
                    InputStream ca = Files.newInputStream(caFile())) {
                chain[0] = x509.generateCertificate(certificate);
                chain[1] = x509.generateCertificate(ca);
            }
            // the key store lives in memory only: its password guards nothing
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("test-bed", key, password, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test bed's certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serve TLS with the test bed's certificate", e);
        }
    }
}
