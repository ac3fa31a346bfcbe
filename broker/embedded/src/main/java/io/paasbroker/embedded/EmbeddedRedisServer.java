package io.paasbroker.embedded;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.paasbroker.provisioner.host.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis 7 server (the machine's {@code redis-server}) under the data directory, on a loopback port kept across
 * restarts, TLS only: it has no plaintext port, so no login can skip encryption. The {@code default} user is off;
 * the broker's admin user is in the ACL file by password hash only. Data persists (append-only file), and so do the ACLs the provisioner saves.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    public static final String ADMIN = "paasbroker-admin";
    private static final List<Path> BINARIES =
            List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"));

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisServer.class);

    private final Process process;
    private final int port;
    private final String adminPassword;

    private EmbeddedRedisServer(Process process, int port, String adminPassword) {
        this.process = process;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    /** The machine's redis-server binary, if it has one. */
    public static Optional<Path> binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst();
    }

    public static EmbeddedRedisServer start(DataDirectory data, Path binary, EmbeddedCertificates certificates) {
        DataDirectory.ServerSettings settings = data.serverSettings("redis");
        int port = settings.port();
        String adminPassword = settings.adminPassword();
        Path dir = data.resolve("redis");
        Path aclFile = dir.resolve("users.acl");
        Path pidFile = dir.resolve("redis.pid");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(aclFile)) {
                Files.writeString(
                        aclFile,
                        "user default off\nuser " + ADMIN + " on #" + sha256(adminPassword) + " ~* &* +@all\n");
            }
            StaleServerProcess.stop("embedded Redis server", pidFile);
            Process process = new ProcessBuilder(
                            binary.toString(),
                            "--port",
                            "0",
                            "--tls-port",
                            String.valueOf(port),
                            "--tls-cert-file",
                            certificates.certificateFile().toString(),
                            "--tls-key-file",
                            certificates.keyFile().toString(),
                            "--tls-ca-cert-file",
                            certificates.caFile().toString(),
                            "--tls-auth-clients",
                            "no",
                            "--bind",
                            "127.0.0.1",
                            "--protected-mode",
                            "yes",
                            "--dir",
                            dir.toString(),
                            "--aclfile",
                            aclFile.toString(),
                            "--pidfile",
                            pidFile.toString(),
                            "--daemonize",
                            "no",
                            "--appendonly",
                            "yes",
                            "--logfile",
                            dir.resolve("redis.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("redis.out").toFile()))
                    .start();
            EmbeddedRedisServer server = new EmbeddedRedisServer(process, port, adminPassword);
            server.awaitReady(certificates);
            log.info("Embedded Redis listening on 127.0.0.1:{} (data in {})", port, dir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded Redis server did not start in " + dir, e);
        }
    }

    public int port() {
        return port;
    }

    public String adminPassword() {
        return adminPassword;
    }

    private void awaitReady(EmbeddedCertificates certificates) {
        RedisURI uri = RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withSsl(true)
                .withVerifyPeer(SslVerifyMode.FULL)
                .withAuthentication(ADMIN, adminPassword)
                .withTimeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder()
                        .trustManager(certificates.caFile().toFile())
                        .build())
                .build());
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the embedded Redis server exited at start (exit code "
                            + process.exitValue() + "); see redis.log in the data directory");
                }
                try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
                    connection.sync().ping();
                    return;
                } catch (RuntimeException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("the embedded Redis server did not answer within 30 s", e);
                    }
                    sleep();
                }
            }
        } finally {
            client.shutdown();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
