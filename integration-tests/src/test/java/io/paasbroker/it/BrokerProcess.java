package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.support.OsbClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker's executable jar running as a process of its own, as an operator runs it: started with command-line
 * properties, its output kept in a log file, stopped with SIGTERM or killed with SIGKILL.
 */
public final class BrokerProcess implements AutoCloseable {

    static final String USER = "cloud-controller";
    static final String PASSWORD = "it-platform-password";

    private final Path log;
    private final int port;
    private final Process process;

    private BrokerProcess(Path log, int port, Process process) {
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** Starts the broker with {@code properties} (name=value) and waits until it answers. */
    public static BrokerProcess start(String name, Path workDirectory, List<String> properties) {
        return start(name, workDirectory, properties, List.of());
    }

    /**
     * The same, with provisioner modules of its own: jars added to the broker's class path as an operator adds them,
     * through Spring Boot's {@code PropertiesLauncher} and {@code loader.path}.
     */
    public static BrokerProcess start(String name, Path workDirectory, List<String> properties, List<Path> modules) {
        return start(name, workDirectory, properties, modules, Map.of());
    }

    /** The same, with variables added to the broker's environment (the AWS SDK's credentials, ...). */
    public static BrokerProcess start(
            String name,
            Path workDirectory,
            List<String> properties,
            List<Path> modules,
            Map<String, String> environment) {
        String jar = System.getProperty("paasbroker.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the broker jar is not built: " + jar + " (run mvn verify from the root)");
        }
        int port = freePort();
        Path log = workDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        if (modules.isEmpty()) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.add("-Dloader.path="
                    + String.join(",", modules.stream().map(Path::toString).toList()));
            command.addAll(List.of("-cp", jar, "org.springframework.boot.loader.launch.PropertiesLauncher"));
        }
        command.addAll(List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.security.user.name=" + USER,
                "--spring.security.user.password=" + PASSWORD));
        properties.forEach(p -> command.add("--" + p));
        try {
            Files.createDirectories(workDirectory);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder.directory(workDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            BrokerProcess broker = new BrokerProcess(log, port, process);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the broker", e);
        }
    }

    public OsbClient client() {
        return new OsbClient("http://127.0.0.1:" + port, USER, PASSWORD);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails when the log holds any of {@code secrets} ({@code what}): counted, not listed, so a failure prints none. */
    void assertLogHoldsNone(String what, List<String> secrets) {
        String all = log();
        assertThat(secrets.stream().filter(all::contains).count())
                .as(what + " in the broker's log")
                .isZero();
    }

    /** The broker's resident memory at its peak so far (VmHWM), in MiB. */
    long peakResidentMiB() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful end of what is running. */
    void kill() {
        process.destroyForcibly();
        await();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            await();
        }
    }

    private void await() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited at start:\n" + tail());
            }
            try {
                HttpResponse<Void> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("the broker did not become ready within 120 s:\n" + tail());
    }

    private String tail() {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
