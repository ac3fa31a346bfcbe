package io.paasbroker.provisioner.local.redis;

import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code redis-server} 7 on a free loopback port, persisting nothing but its aclfile, which starts with an
 * admin user and the {@code default} user as given. Stopped, and restarted, by the PID of the process it started.
 */
final class RedisServerProcess implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String ADMIN = "admin";

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path directory;
    private final int port;
    private final String adminPassword = Passwords.generate();
    private Process process;

    private RedisServerProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** A server whose {@code default} user is off, as a shared server should be. */
    static RedisServerProcess start() {
        return start("off");
    }

    /** A server whose {@code default} user has the rules {@code defaultUser}, e.g. {@code on nopass ~* &* +@all}. */
    static RedisServerProcess start(String defaultUser) {
        try {
            RedisServerProcess server = new RedisServerProcess(Files.createTempDirectory("redis-it-"), freePort());
            Files.writeString(
                    server.aclFile(),
                    "user default " + defaultUser + "\nuser " + ADMIN + " on >" + server.adminPassword
                            + " ~* &* +@all\n");
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How the provisioner under test is configured to reach this server. */
    RedisServer asServer(String name) {
        return new RedisServer(
                name, HOST, port, ADMIN, adminPassword, HOST, port, Duration.ofSeconds(5), ServerTls.OFF);
    }

    int port() {
        return port;
    }

    String adminPassword() {
        return adminPassword;
    }

    /** Stops the server and starts it again on the same port and aclfile; keys are gone, saved users are back. */
    void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path aclFile() {
        return directory.resolve("users.acl");
    }

    private void launch() {
        List<String> command = List.of(
                BINARY.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--aclfile",
                aclFile().toString(),
                "--dir",
                directory.toString(),
                "--daemonize",
                "no",
                // off by default, which refuses DEBUG before the ACL is asked: let the ACL be what denies tenants
                "--enable-debug-command",
                "local");
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("redis.log").toFile()))
                    .start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(BINARY + " did not start (apt-get install redis-server)", e);
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "redis-server exited: " + Files.readString(directory.resolve("redis.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server is not listening on " + port + " after 10 s");
    }

    /** SIGTERM to our PID (with --save "" Redis writes nothing on the way out), SIGKILL if it lingers. */
    private void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
