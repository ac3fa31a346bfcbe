package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate a server the broker runs itself serves (its S3 server), from PEM files, and how its clients verify it.
 *
 * @param certificateFile the certificate, followed by any intermediate CA certificates, PEM
 * @param keyFile its private key, PEM PKCS#8 ({@code BEGIN PRIVATE KEY}; {@code openssl pkcs8 -topk8 -nocrypt}
 *     converts others), RSA or EC
 * @param clientTls what clients verify the certificate against
 */
public record ServedCertificate(Path certificateFile, Path keyFile, ServerTls clientTls) {

    /** A server context serving the certificate, read from the files now. */
    public SSLContext serverSslContext() {
        try {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", privateKey(), password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot serve the certificate " + certificateFile + " with the key " + keyFile
                            + " (PEM, PKCS#8 key): " + e.getMessage(),
                    e);
        }
    }

    private PrivateKey privateKey() throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("the key is not PEM PKCS#8 (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder()
                .decode(pem.substring(
                        pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----")));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }
}
