package io.paasbroker.opensearch.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The OpenSearch distribution this jar carries as a resource ({@code opensearch-dist.zip}: {@code lib/},
 * {@code classes/}, {@code plugins/opensearch-security.zip}), extracted once per content into a directory named for
 * its digest, so a node started again from the same build reuses it. The security plugin is installed on extraction:
 * its jars that the node's class path already has (Netty, HTTP client, BouncyCastle, ...) are left out, since
 * OpenSearch refuses a plugin whose classes are also on the class path.
 */
final class NodeDistribution {

    static final String RESOURCE = "opensearch-dist.zip";
    static final String SECURITY_PLUGIN = "opensearch-security";

    private static final Pattern VERSIONED_JAR = Pattern.compile("(.+?)-\\d[^/]*\\.jar");
    private static final String COMPLETE_MARKER = ".complete";

    private NodeDistribution() {}

    /**
     * Extracts the distribution under {@code parent} unless the same content is already there; returns its home. With
     * {@code exclusive} (the parent belongs to one node), distributions of other builds there are removed.
     */
    static Path extract(Path parent, boolean exclusive) throws IOException {
        String id = digest();
        Path target = parent.resolve(id);
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        Files.createDirectories(parent);
        Path staging = parent.resolve(id + ".tmp-" + UUID.randomUUID());
        try {
            unzip(open(), staging, entry -> true);
            installSecurityPlugin(staging);
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            if (Files.exists(target)) {
                deleteRecursively(target); // left incomplete by an earlier crash
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(staging);
            if (Files.exists(target.resolve(COMPLETE_MARKER))) {
                return target; // another process extracted the same content meanwhile
            }
            throw e;
        }
        if (exclusive) {
            removeOthers(parent, id);
        }
        return target;
    }

    private static void installSecurityPlugin(Path home) throws IOException {
        Path zip = home.resolve("plugins").resolve(SECURITY_PLUGIN + ".zip");
        Set<String> onClassPath;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            onClassPath =
                    jars.map(jar -> artifact(jar.getFileName().toString())).collect(Collectors.toSet());
        }
        try (InputStream in = Files.newInputStream(zip)) {
            unzip(
                    in,
                    home.resolve("plugins").resolve(SECURITY_PLUGIN),
                    entry -> entry.contains("/") || !onClassPath.contains(artifact(entry)));
        }
        Files.delete(zip);
    }

    /** {@code netty-buffer-4.1.125.Final.jar} → {@code netty-buffer}; other names unchanged. */
    static String artifact(String fileName) {
        Matcher matcher = VERSIONED_JAR.matcher(fileName);
        return matcher.matches() ? matcher.group(1) : fileName;
    }

    private static void unzip(InputStream source, Path target, java.util.function.Predicate<String> wanted)
            throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(source)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root)) {
                    throw new IOException("zip entry outside its target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else if (wanted.test(entry.getName())) {
                    Files.createDirectories(file.getParent());
                    Files.copy(zip, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String digest() throws IOException {
        try (DigestInputStream in = new DigestInputStream(open(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream open() {
        InputStream in = NodeDistribution.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the OpenSearch distribution (" + RESOURCE + ") is not on the class path:"
                    + " build paasbroker-opensearch-node with Maven (its prepare-package phase packs it)");
        }
        return in;
    }

    private static void removeOthers(Path parent, String keep) {
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(child -> !child.getFileName().toString().startsWith(keep))
                    .filter(Files::isDirectory)
                    .forEach(NodeDistribution::deleteRecursively);
        } catch (IOException | UncheckedIOException e) {
            // an old distribution left behind costs disk space, nothing else
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
