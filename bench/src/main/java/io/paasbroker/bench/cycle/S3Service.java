package io.paasbroker.bench.cycle;

import io.paasbroker.bench.process.CpuMeter;
import io.paasbroker.provisioner.local.s3.LocalS3Provisioner;
import io.paasbroker.provisioner.local.s3.LocalS3Server;
import io.paasbroker.provisioner.local.s3.S3Namespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * S3, plan {@code standard} of the default catalog. The broker runs its S3 server (S3Proxy) in its own JVM, with the
 * keys in its state and credential stores, so the raw side cannot use the broker's: it runs the same provisioner over
 * a server, storage and key directory of its own in this JVM, the keys in memory ({@link InMemoryS3Keys}). The
 * broker's cycle thus also pays for its keys' rows and secrets, which the floor does not.
 */
public final class S3Service extends DefaultCatalogService {

    public S3Service() {
        super("S3", SERVICE_ID, STANDARD_PLAN_ID);
    }

    static final String SERVICE_ID = "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a05";
    static final String STANDARD_PLAN_ID = "5d6e7f80-9102-4c3d-9e4f-5a6b7c8d9e51";

    /** Where the broker's S3 server listens and what it hands out (its default {@code paasbroker.s3.host}). */
    private static final String HOST = "127.0.0.1";

    /**
     * As the broker starts its local S3 (its {@code LocalS3}), but on a free loopback port, with storage beside the
     * broker's data directory (so on the same disk) and the keys in memory.
     */
    @Override
    public ProvisionerCycle direct(Path brokerDataDirectory) {
        Path storage = brokerDataDirectory.resolveSibling("raw-s3");
        deleteRecursively(storage);
        S3Namespaces namespaces = new S3Namespaces(storage);
        InMemoryS3Keys keys = new InMemoryS3Keys();
        LocalS3Server server;
        try {
            server = LocalS3Server.start(HOST, 0, HOST, namespaces, keys, Optional.empty());
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
        List<AutoCloseable> resources = List.of(server, namespaces, () -> deleteRecursively(storage));
        try {
            return new ProvisionerCycle(
                    new LocalS3Provisioner(server, namespaces, keys), plan("standard", Map.of()), resources);
        } catch (RuntimeException e) {
            server.close();
            namespaces.close();
            throw e;
        }
    }

    @Override
    public String rawSide() {
        return "its provisioner called in-process, over an S3 server, storage and key directory of its own in this"
                + " JVM (the broker's server runs inside the broker); raw keys are in memory, the broker's in its state"
                + " and credential stores";
    }

    /** Not a process of its own: the broker's S3 server is in the broker's JVM, the raw side's in this one. */
    @Override
    public CpuMeter serverCpu(Path brokerDataDirectory) {
        return () -> -1;
    }

    @Override
    public String serverCpuColumn() {
        return "no server (\"-\": the S3 server is counted in the broker's JVM, the raw side's in this benchmark's)";
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + directory, e);
        }
    }
}
