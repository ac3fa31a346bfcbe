package io.paasbroker.bench.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Whether the raw side calls the same provisioner classes the broker runs: the raw side's come from the local Maven
 * repository, the broker's from its jar, and someone may have installed one without rebuilding the other. Compares
 * class files, not jars (a jar's timestamps change with every build).
 */
public final class SameProvisioners {

    private SameProvisioners() {}

    /** A warning when the classes of {@code provisioner}'s jar differ from that jar inside the broker's jar. */
    public static Optional<String> check(Path brokerJar, Class<?> provisioner) {
        try {
            Path ours = Path.of(provisioner
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            String name = ours.getFileName().toString();
            Map<String, String> theirs = brokerCopy(brokerJar, "BOOT-INF/lib/" + name);
            if (theirs == null) {
                return Optional.of("the broker's jar has no " + name + ": cannot tell whether raw runs its code");
            }
            if (!theirs.equals(classes(Files.newInputStream(ours)))) {
                return Optional.of("WARNING: the raw side's " + name + " differs from the broker's; run"
                        + " ./mvnw -DskipTests install first, or the comparison is of different code");
            }
            return Optional.empty();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.of("could not compare the raw side's provisioner with the broker's: " + e);
        }
    }

    private static Map<String, String> brokerCopy(Path brokerJar, String entry) throws IOException {
        try (ZipFile jar = new ZipFile(brokerJar.toFile())) {
            ZipEntry nested = jar.getEntry(entry);
            return nested == null ? null : classes(jar.getInputStream(nested));
        }
    }

    /** Class file name to digest, for every class in a jar. */
    private static Map<String, String> classes(InputStream jarBytes) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (JarInputStream jar = new JarInputStream(jarBytes)) {
            for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                if (entry.getName().endsWith(".class")) {
                    digests.put(entry.getName(), sha256(jar));
                }
            }
        }
        return digests;
    }

    private static String sha256(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
