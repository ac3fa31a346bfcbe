package io.paasbroker.bench.broker;

import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** The broker's executable jar as an operator runs it, on its embedded default with a fresh data directory. */
public final class BrokerUnderTest implements AutoCloseable {

    private static final String USER = "bench-platform";

    private final JavaProcess process;
    private final Path dataDirectory;
    private final Path jar;
    private final OsbPlatform platform;
    private final Duration startup;

    private BrokerUnderTest(JavaProcess process, Path dataDirectory, Path jar, OsbPlatform platform, Duration startup) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.jar = jar;
        this.platform = platform;
        this.startup = startup;
    }

    public static BrokerUnderTest start(Path jar, Path workDirectory, String heap) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "the broker jar is not built: " + jar + " (run ./mvnw -DskipTests install)");
        }
        Path dataDirectory = workDirectory.resolve("broker-data");
        deleteRecursively(dataDirectory);
        Path copy = copy(jar, workDirectory);
        int port = JavaProcess.freeLoopbackPort();
        String password = UUID.randomUUID().toString();
        JavaProcess process = JavaProcess.start(
                "broker",
                JavaProcess.serverOptions(heap),
                List.of(
                        "-jar",
                        copy.toString(),
                        "--server.port=" + port,
                        "--server.address=127.0.0.1",
                        "--spring.security.user.name=" + USER,
                        "--spring.security.user.password=" + password,
                        "--paasbroker.data-directory=" + dataDirectory),
                workDirectory);
        try {
            String base = "http://127.0.0.1:" + port;
            Duration startup = process.awaitOk(URI.create(base + "/actuator/health"), Duration.ofSeconds(120));
            return new BrokerUnderTest(
                    process, dataDirectory, copy, OsbPlatform.withBasicAuth(base, USER, password), startup);
        } catch (RuntimeException e) {
            process.close();
            LeftoverServers.stop(dataDirectory);
            throw e;
        }
    }

    public OsbPlatform platform() {
        return platform;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Duration startup() {
        return startup;
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
        LeftoverServers.stop(dataDirectory);
    }

    /**
     * The jar the broker runs from, copied: others may rebuild broker/target while this runs, and a JVM whose jar is
     * rewritten under it fails in odd ways.
     */
    private static Path copy(Path jar, Path workDirectory) {
        Path copy = workDirectory.resolve("paasbroker-broker-exec.jar");
        try {
            Files.createDirectories(workDirectory);
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar + " to " + copy, e);
        }
    }

    /** The jar the broker runs from. */
    public Path jar() {
        return jar;
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
