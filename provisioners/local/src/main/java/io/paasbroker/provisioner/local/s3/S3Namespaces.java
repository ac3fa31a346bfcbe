package io.paasbroker.provisioner.local.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * The local S3 server's storage: one directory per service instance (its namespace) under a root, each a store of
 * its own, so a key that reaches one namespace cannot even name another's buckets.
 */
public final class S3Namespaces implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Path root;
    private final Map<String, BlobStore> stores = new ConcurrentHashMap<>();

    public S3Namespaces(Path root) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 storage directory " + this.root, e);
        }
    }

    /** The namespace's store, its directory created when missing. */
    public BlobStore store(String namespace) {
        return stores.computeIfAbsent(namespace, name -> {
            Path directory = directory(name);
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the S3 namespace " + name, e);
            }
            return new FilesystemNio2BlobStore(directory.toString());
        });
    }

    public boolean exists(String namespace) {
        return Files.isDirectory(directory(namespace));
    }

    /** Removes the namespace's directory and everything in it; no error when it is gone. */
    public void delete(String namespace) {
        BlobStore store = stores.remove(namespace);
        if (store != null) {
            store.close();
        }
        Path directory = directory(namespace);
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the S3 namespace " + namespace, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        stores.values().forEach(BlobStore::close);
        stores.clear();
    }

    private Path directory(String namespace) {
        if (!NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not an S3 namespace name: " + namespace);
        }
        return root.resolve(namespace);
    }
}
