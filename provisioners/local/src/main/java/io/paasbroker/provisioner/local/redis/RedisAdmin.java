package io.paasbroker.provisioner.local.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ServerAdmin;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Administrative access to one Redis server: one connection as the admin user, opened at first use and re-opened by
 * Lettuce after the server restarts, with every command bounded by the server's connect timeout. The admin's password
 * can change while it serves: reconnects and new connections use the current one.
 */
final class RedisAdmin implements ServerAdmin {

    /** Error replies of a server that is starting, busy or failing over: worth retrying. */
    private static final Set<String> TRANSIENT_REPLIES = Set.of("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN");

    private static final int SCAN_BATCH = 1000;

    private final RedisServer server;
    private final ClientResources resources;
    private final RedisClient client;
    private volatile String password;
    /** Held while a connection logs in, and, to write, while the password new connections log in with changes. */
    private final ReadWriteLock passwordChange = new ReentrantReadWriteLock();

    private StatefulRedisConnection<String, String> connection;

    RedisAdmin(RedisServer server, ClientResources resources) {
        this.server = server;
        this.resources = resources;
        this.password = server.adminPassword();
        this.client = RedisClient.create(
                resources,
                uri(RedisCredentialsProvider.from(() -> RedisCredentials.just(server.adminUsername(), password))));
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(server.connectTimeout())
                        .build())
                .sslOptions(SslOptions.builder()
                        .trustManager(server.tls().trustManagerFactory())
                        .build())
                .build());
    }

    private RedisURI uri(RedisCredentialsProvider credentials) {
        return RedisURI.builder()
                .withHost(server.host())
                .withPort(server.port())
                .withSsl(server.tls().enabled())
                .withVerifyPeer(SslVerifyMode.FULL)
                .withAuthentication(credentials)
                .withTimeout(server.connectTimeout())
                .withClientName("paasbroker")
                .build();
    }

    RedisServer server() {
        return server;
    }

    @Override
    public ServerTls tls() {
        return server.tls();
    }

    /**
     * Asked up to three times: Lettuce now and then loses the server's refusal in its handshake ("RedisHandshakeHandler
     * not registered") and reports that instead.
     */
    @Override
    public boolean acceptsPassword(String candidate) {
        RedisURI probe =
                uri(RedisCredentialsProvider.from(() -> RedisCredentials.just(server.adminUsername(), candidate)));
        for (int attempt = 1; ; attempt++) {
            try (StatefulRedisConnection<String, String> connection = client.connect(probe)) {
                connection.sync().ping();
                return true;
            } catch (RedisException e) {
                if (ServerFailures.rootReason(e).startsWith("WRONGPASS")) {
                    return false;
                }
                if (attempt == 3) {
                    throw translate("checking an admin password", e);
                }
            }
        }
    }

    /**
     * The new password joins the admin's old one before the old one goes, so that every connection opened meanwhile,
     * with either, logs in; the old one goes once no connection is still logging in with it, through one that logged
     * in with the new one. Only the password's SHA-256 travels, so it is in no command a slow log or MONITOR could
     * show.
     */
    @Override
    public void changePassword(String newPassword) {
        String hash = "#" + sha256(newPassword);
        setUser(server.adminUsername(), List.of(hash));
        usePassword(newPassword);
        setUser(server.adminUsername(), List.of("resetpass", hash));
        saveAcl();
    }

    /**
     * The next command opens a connection with {@code newPassword}, once the connections logging in with the old one
     * have; the old connection is closed once the commands in flight on it have had their time (each is bounded by
     * the connect timeout).
     */
    @Override
    public void usePassword(String newPassword) {
        StatefulRedisConnection<String, String> old;
        passwordChange.writeLock().lock();
        try {
            password = newPassword;
            synchronized (this) {
                old = connection;
                connection = null;
            }
        } finally {
            passwordChange.writeLock().unlock();
        }
        if (old != null) {
            resources
                    .eventExecutorGroup()
                    .schedule(old::closeAsync, server.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    <T> T run(String doing, Function<RedisCommands<String, String>, T> work) {
        try {
            return work.apply(connection().sync());
        } catch (RedisException e) {
            throw translate(doing, e);
        }
    }

    /**
     * Runs {@code work} on an admin connection of its own, opened for it and closed after, whose keys and values are
     * bytes: tenants' keys need not be text.
     */
    <T> T onBinaryConnection(String doing, Function<StatefulRedisConnection<byte[], byte[]>, T> work) {
        try (StatefulRedisConnection<byte[], byte[]> binary = loggedIn(() -> client.connect(ByteArrayCodec.INSTANCE))) {
            return work.apply(binary);
        } catch (RedisException e) {
            throw translate(doing, e);
        }
    }

    /** Answers only when the server is up and takes the admin's password. */
    /** The plaintext port the server listens on besides its TLS one, or 0 when it has none. */
    int plaintextPort() {
        return run(
                "reading the server's ports",
                c -> Integer.parseInt(c.configGet("port").getOrDefault("port", "0")));
    }

    void ping() {
        run("checking the server", RedisCommands::ping);
    }

    void setUser(String user, List<String> rules) {
        run("setting the ACL rules of user '" + user + "'", c -> {
            CommandArgs<String, String> args =
                    new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
            rules.forEach(args::add);
            return c.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
        });
    }

    /** Deletes the users that exist; Redis closes their connections. */
    void deleteUsers(List<String> users) {
        if (!users.isEmpty()) {
            run("deleting ACL users " + users, c -> c.aclDeluser(users.toArray(String[]::new)));
        }
    }

    List<String> usersStartingWith(String prefix) {
        return run(
                "listing ACL users",
                c -> c.aclUsers().stream()
                        .filter(user -> user.startsWith(prefix))
                        .sorted()
                        .toList());
    }

    /** Writes the users to the server's aclfile, so they survive a restart. */
    void saveAcl() {
        run("saving the ACL users to the aclfile", RedisCommands::aclSave);
    }

    /** Unlinks, page by page, every key of database 0 that starts with {@code keyPrefix}. */
    long unlinkKeysStartingWith(String keyPrefix) {
        ScanArgs matching =
                ScanArgs.Builder.matches(RedisAclRules.keyPattern(keyPrefix)).limit(SCAN_BATCH);
        return run("deleting the instance's keys", c -> {
            long unlinked = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.scan(cursor, matching);
                if (!page.getKeys().isEmpty()) {
                    unlinked += c.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return unlinked;
        });
    }

    /** The server's version, and what in its set-up undermines the isolation of tenants. */
    record Report(String version, List<String> problems) {}

    Report report() {
        return run("checking the server", c -> {
            String version = c.info("server")
                    .lines()
                    .filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).strip())
                    .findFirst()
                    .orElse("unknown");
            List<String> problems = new ArrayList<>();
            if (!version.matches("([7-9]|\\d{2,})\\..*")) {
                problems.add("Redis " + version + " has no ACL key selectors; Redis 7 or later is needed");
            }
            if (defaultUserOpen(c.aclGetuser("default"))) {
                problems.add("the 'default' user is enabled without a password: anyone who reaches the port is in");
            }
            if (c.configGet("aclfile").getOrDefault("aclfile", "").isEmpty()) {
                problems.add("no aclfile is configured: ACL SAVE fails and bindings would not survive a restart");
            }
            return new Report(version, List.copyOf(problems));
        });
    }

    /** {@code ACL GETUSER} answers field names and values in turn; the flags are a list. */
    private static boolean defaultUserOpen(List<Object> fields) {
        if (fields == null) {
            return false;
        }
        int flags = fields.indexOf("flags");
        return flags >= 0
                && flags + 1 < fields.size()
                && fields.get(flags + 1) instanceof List<?> values
                && values.contains("on")
                && values.contains("nopass");
    }

    private StatefulRedisConnection<String, String> connection() {
        return loggedIn(() -> {
            synchronized (this) {
                if (connection == null) {
                    connection = client.connect();
                }
                return connection;
            }
        });
    }

    /** Opens a connection with the admin's password, which does not change until it has logged in. */
    private <C> C loggedIn(Supplier<C> connect) {
        passwordChange.readLock().lock();
        try {
            return connect.get();
        } finally {
            passwordChange.readLock().unlock();
        }
    }

    /**
     * An error reply means the server refused the command, and the same request would meet it again, unless the
     * server said it is loading, busy or failing over. Anything else Lettuce throws is about reaching the server: it
     * did not connect, did not answer in time, or dropped the connection.
     */
    private ProvisionerException translate(String doing, RedisException e) {
        String reason = redacted(ServerFailures.rootReason(e));
        boolean refused = e instanceof RedisCommandExecutionException
                && TRANSIENT_REPLIES.stream().noneMatch(reply -> reason.startsWith(reply));
        return ServerFailures.failure(doing, "Redis server '" + server.name() + "'", reason, !refused, e);
    }

    /** Lettuce's messages name hosts, not passwords; this keeps it so should one ever echo the password. */
    private String redacted(String text) {
        String password = this.password;
        return password == null || password.isEmpty() ? text : text.replace(password, "******");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
