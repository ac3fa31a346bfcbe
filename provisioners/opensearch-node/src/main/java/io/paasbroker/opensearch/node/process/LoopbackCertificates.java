package io.paasbroker.opensearch.node.process;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for servers on the loopback interface, made once and kept with their data (never committed anywhere):
 * a root CA of their own, and a certificate for {@code 127.0.0.1} and {@code localhost} it signs, good for serving TLS
 * and, between OpenSearch nodes, as a client. The CA's private key is thrown away once the certificate is signed, so
 * nothing else can ever be signed by it. Callers keep the directory readable by its owner only.
 */
public final class LoopbackCertificates {

    public static final String CA_FILE = "root-ca.pem";
    public static final String NODE_CERT_FILE = "node.pem";
    public static final String NODE_KEY_FILE = "node-key.pem";
    /** One relative distinguished name: no ordering question between X.500 and RFC 2253 when the plugin matches it. */
    public static final String NODE_DN = "CN=paasbroker-loopback-server";

    private static final Duration VALIDITY = Duration.ofDays(3650);

    private LoopbackCertificates() {}

    /** The files above in {@code config}, made unless all three are there already. */
    public static void writeIfAbsent(Path config) throws IOException, GeneralSecurityException {
        writeIfAbsent(config, List.of());
    }

    /** The same, the certificate valid for {@code moreAddresses} of the loopback network as well. */
    public static void writeIfAbsent(Path config, List<InetAddress> moreAddresses)
            throws IOException, GeneralSecurityException {
        if (Files.exists(config.resolve(CA_FILE))
                && Files.exists(config.resolve(NODE_CERT_FILE))
                && Files.exists(config.resolve(NODE_KEY_FILE))) {
            return;
        }
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair nodeKeys = generator.generateKeyPair();
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

        X500Name caName = new X500Name("CN=paasbroker loopback CA");
        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                caName,
                new BigInteger(64, random),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)),
                caName,
                caKeys.getPublic());
        ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca.addExtension(
                Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
        X509Certificate caCertificate = sign(ca, caKeys);

        X509v3CertificateBuilder node = new JcaX509v3CertificateBuilder(
                caCertificate,
                new BigInteger(64, random),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)),
                new X500Name(NODE_DN),
                nodeKeys.getPublic());
        node.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        node.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.nonRepudiation));
        node.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
        }));
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(
                GeneralName.iPAddress,
                new DEROctetString(InetAddress.getByName("127.0.0.1").getAddress())));
        for (InetAddress address : moreAddresses) {
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
        }
        node.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        node.addExtension(
                Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(nodeKeys.getPublic()));
        node.addExtension(
                Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
        X509Certificate nodeCertificate = sign(node, caKeys);

        write(
                config.resolve(NODE_KEY_FILE),
                pem("PRIVATE KEY", nodeKeys.getPrivate().getEncoded()));
        write(config.resolve(NODE_CERT_FILE), pem("CERTIFICATE", nodeCertificate.getEncoded()));
        // last: its presence says the set is complete
        write(config.resolve(CA_FILE), pem("CERTIFICATE", caCertificate.getEncoded()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("could not sign a certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Owner-only from the start: servers such as PostgreSQL refuse a key file others could read. */
    private static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
