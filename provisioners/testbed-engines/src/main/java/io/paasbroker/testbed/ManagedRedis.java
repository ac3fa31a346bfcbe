package io.paasbroker.testbed;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis 7 server (the machine's {@code redis-server}) as a cloud runs a managed one with encryption in transit
 * and ACL users (ElastiCache's RBAC): TLS only, on 127.0.0.1, with the test bed's certificate; the {@code default}
 * user off until the fake says otherwise; each of the cloud's users an ACL user ({@link #setUser}). The fake itself
 * acts through a user of its own whose password nobody outside knows, as a cloud's control plane does; no tenant's
 * user can see or change it, as long as its rules leave out {@code @admin}, which holds the ACL, CONFIG and MODULE
 * commands.
 */
public final class ManagedRedis implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final String CONTROL_USER = "test-bed-control";
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    /**
     * The client of every control connection trusting a test bed's CA, by the CA's file: made once, as a client's
     * event loops are costly to make and slow to stop, and shared by the servers of that test bed.
     */
    private static final Map<Path, RedisClient> CLIENTS = new ConcurrentHashMap<>();

    private final Process process;
    private final Path directory;
    private final int port;
    private final StatefulRedisConnection<String, String> control;

    private ManagedRedis(Process process, Path directory, int port, StatefulRedisConnection<String, String> control) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.control = control;
    }

    /** A server in {@code directory}, holding the data of the snapshot file {@code rdb} when there is one. */
    public static ManagedRedis start(Path directory, TestBedCertificates certificates, Path rdb) {
        String controlPassword = FakeSecrets.generate();
        int port = freePort();
        try {
            Files.createDirectories(directory);
            if (rdb != null) {
                Files.copy(rdb, directory.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
            }
            Path acl = directory.resolve("users.acl");
            Files.writeString(
                    acl,
                    "user default off\nuser " + CONTROL_USER + " on #" + sha256(controlPassword) + " ~* &* +@all\n");
            Process process = new ProcessBuilder(
                            BINARY.toString(),
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
                            directory.toString(),
                            "--dbfilename",
                            "dump.rdb",
                            "--aclfile",
                            acl.toString(),
                            "--appendonly",
                            "no",
                            "--save",
                            "",
                            "--daemonize",
                            "no",
                            "--logfile",
                            directory.resolve("redis.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.out").toFile())
                    .start();
            RedisClient client = CLIENTS.computeIfAbsent(certificates.caFile(), ManagedRedis::trusting);
            RedisURI uri = RedisURI.builder()
                    .withHost("127.0.0.1")
                    .withPort(port)
                    .withSsl(true)
                    .withVerifyPeer(SslVerifyMode.FULL)
                    .withAuthentication(CONTROL_USER, controlPassword)
                    .withTimeout(Duration.ofSeconds(5))
                    .build();
            return new ManagedRedis(process, directory, port, connect(process, client, uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Redis server of " + directory, e);
        }
    }

    private static StatefulRedisConnection<String, String> connect(Process process, RedisClient client, RedisURI uri) {
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start (" + process.exitValue() + ")");
            }
            try {
                return client.connect(uri);
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("redis-server did not answer within " + START_LIMIT, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    private static RedisClient trusting(Path caFile) {
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder().trustManager(caFile.toFile()).build())
                .build());
        return client;
    }

    public int port() {
        return port;
    }

    /**
     * Makes {@code name} the ACL user of these passwords (SHA-256 only, as Redis keeps them), or of none at all where
     * none is required, and of the rules of {@code accessString}. Rules start with {@code reset}: the user is exactly
     * this.
     */
    public synchronized void setUser(
            String name, List<String> passwords, boolean noPasswordRequired, String accessString) {
        CommandArgs<String, String> args =
                new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(name).add("reset");
        passwords.forEach(password -> args.add("#" + sha256(password)));
        if (noPasswordRequired) {
            args.add("nopass");
        }
        for (String rule : accessString.trim().split("\\s+")) {
            args.add(rule);
        }
        control.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
    }

    /** Removes the ACL user; Redis closes its connections. */
    public synchronized void deleteUser(String name) {
        control.sync()
                .dispatch(
                        CommandType.ACL,
                        new IntegerOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("DELUSER").add(name));
    }

    /** A configuration parameter that applies at once, as a cloud's dynamic parameters do. */
    public synchronized void set(String parameter, String value) {
        control.sync().configSet(parameter, value);
    }

    /** Writes the data to {@code rdb}: what a snapshot keeps. */
    public synchronized void saveTo(Path rdb) {
        control.sync().save();
        try {
            Files.createDirectories(rdb.getParent());
            Files.copy(directory.resolve("dump.rdb"), rdb, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the snapshot " + rdb, e);
        }
    }

    @Override
    public synchronized void close() {
        control.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
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
}
