package io.paasbroker.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The client programs the fakes run: PostgreSQL's as Debian installs them ({@code postgresql-client}:
 * {@code /usr/lib/postgresql/<major>/bin}), the newest major's, for snapshots and base backups; others by their path
 * (Debian's {@code mariadb-binlog}). Each run has a deadline.
 */
final class ClientPrograms {

    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");
    private static final long DEADLINE_SECONDS = 120;

    private ClientPrograms() {}

    static Path find(String program) {
        try (Stream<Path> majors = Files.list(DEBIAN)) {
            return majors.map(major -> major.resolve("bin").resolve(program))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(path -> Integer.parseInt(
                            path.getParent().getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException(program + " is not installed: the test bed's"
                            + " snapshots need Debian's postgresql-client (bin/debian-packages)"));
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL client programs under " + DEBIAN, e);
        }
    }

    /** Runs {@code command} with {@code environment} added; fails with its output unless it ends well in time. */
    static void run(List<String> command, Map<String, String> environment, String doing) {
        Path output = null;
        try {
            output = Files.createTempFile("test-bed-program", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(doing + ": no end after " + DEADLINE_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(doing + " failed: " + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(doing + " could not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(doing + ": interrupted", e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
