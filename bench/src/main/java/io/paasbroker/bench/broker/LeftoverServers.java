package io.paasbroker.bench.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Servers the broker started that outlived it. PostgreSQL detaches from the broker (pg_ctl), so a broker that had to
 * be killed leaves it running; its pid file under the data directory says which process it is.
 */
final class LeftoverServers {

    private LeftoverServers() {}

    static void stop(Path dataDirectory) {
        for (Path pidFile : pidFiles(dataDirectory)) {
            pid(pidFile)
                    .flatMap(ProcessHandle::of)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains(dataDirectory.toString()))
                    .ifPresent(LeftoverServers::terminate);
        }
    }

    private static void terminate(ProcessHandle server) {
        server.destroy();
        try {
            server.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.destroyForcibly();
        }
    }

    private static List<Path> pidFiles(Path dataDirectory) {
        if (!Files.isDirectory(dataDirectory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dataDirectory, 3)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<Long> pid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
