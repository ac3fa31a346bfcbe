package io.paasbroker.provisioner.credentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whether a server speaks TLS, and how a client verifies it: against one CA ({@code caCertificatePem}, for example a
 * private CA of the operator or the embedded default's own), or, when that is null, against the public CAs every
 * system trusts (a cloud's endpoints). Clients always verify the server's name as well.
 *
 * @param enabled whether the server offers TLS
 * @param caCertificatePem the PEM of the CA (or CAs) that signed the server's certificate; null for the system's
 */
public record ServerTls(boolean enabled, String caCertificatePem) {

    /** A server that offers no TLS. */
    public static final ServerTls OFF = new ServerTls(false, null);

    /** Where Debian and Ubuntu keep the system's trusted CAs, for programs that take a CA file only. */
    private static final Path SYSTEM_CA_FILE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private static final Map<String, Path> CA_FILES = new ConcurrentHashMap<>();

    public ServerTls {
        caCertificatePem =
                caCertificatePem == null || caCertificatePem.isBlank() ? null : caCertificatePem.strip() + "\n";
        if (!enabled && caCertificatePem != null) {
            throw new IllegalArgumentException("a CA certificate is given for a server without TLS");
        }
        if (caCertificatePem != null) {
            certificates(caCertificatePem); // refused now, not at the first connection
        }
    }

    /** TLS verified against {@code caCertificatePem}, or against the system's CAs when it is null or blank. */
    public static ServerTls verifiedBy(String caCertificatePem) {
        return new ServerTls(true, caCertificatePem);
    }

    public boolean hasPrivateCa() {
        return caCertificatePem != null;
    }

    /** A client context that trusts exactly this server's CA, or what the JVM trusts when it has none. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context that trusts the server's CA", e);
        }
    }

    /** Trust managers for exactly this server's CA, or for what the JVM trusts when it has none. */
    public TrustManagerFactory trustManagerFactory() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(hasPrivateCa() ? trustStore() : null);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the server's CA", e);
        }
    }

    /** The CA as a trust store, for clients that take one. */
    private KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates(caCertificatePem)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store of the server's CA", e);
        }
    }

    /**
     * A file holding the CA, for client programs that read one ({@code PGSSLROOTCERT}, {@code --ssl-ca}): a file of
     * this process's, written once per CA (a CA certificate is public), or the system's CA file.
     */
    public Path caFile() {
        if (!hasPrivateCa()) {
            return SYSTEM_CA_FILE;
        }
        return CA_FILES.computeIfAbsent(caCertificatePem, pem -> {
            try {
                Path file = Files.createTempFile("paasbroker-ca-", ".pem");
                file.toFile().deleteOnExit();
                Files.writeString(file, pem, StandardCharsets.US_ASCII);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a CA certificate for client programs", e);
            }
        });
    }

    private static Collection<? extends Certificate> certificates(String pem) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the CA certificate holds no PEM certificate");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA certificate is not a PEM X.509 certificate", e);
        }
    }

    @Override
    public String toString() {
        return enabled ? (hasPrivateCa() ? "TLS (private CA)" : "TLS (system CAs)") : "no TLS";
    }
}
