package io.paasbroker.azure.testbed.fake;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.paasbroker.testbed.ManagedRedis;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Replaces the data of a running {@link ManagedRedis} in place, as Azure Managed Redis's import and database deletion
 * do: its address, port and ACL users stay. Each snapshot file is loaded into a Redis of its own, whose keys are copied
 * over ({@code DUMP}, {@code RESTORE}) by a user the test bed makes for the copy and removes afterwards.
 */
final class RedisData implements AutoCloseable {

    private static final String COPY_USER = "test-bed-data";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestBedCertificates certificates;
    private final RedisClient client;

    RedisData(TestBedCertificates certificates) {
        this.certificates = certificates;
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder()
                        .trustManager(certificates.caFile().toFile())
                        .build())
                .build());
    }

    /** Empties {@code target}, then loads the snapshot files {@code rdbs} into it, each in a Redis under {@code work}. */
    void replace(ManagedRedis target, List<Path> rdbs, Path work) {
        try (StatefulRedisConnection<byte[], byte[]> into = open(target)) {
            into.sync().flushall();
            for (int index = 0; index < rdbs.size(); index++) {
                try (ManagedRedis source =
                                ManagedRedis.start(work.resolve("load-" + index), certificates, rdbs.get(index));
                        StatefulRedisConnection<byte[], byte[]> from = open(source)) {
                    copy(from.sync(), into.sync());
                }
            }
        } finally {
            target.deleteUser(COPY_USER);
        }
    }

    /** Empties {@code target}. */
    void flush(ManagedRedis target) {
        try (StatefulRedisConnection<byte[], byte[]> into = open(target)) {
            into.sync().flushall();
        } finally {
            target.deleteUser(COPY_USER);
        }
    }

    private static void copy(RedisCommands<byte[], byte[]> from, RedisCommands<byte[], byte[]> into) {
        KeyScanCursor<byte[]> cursor = from.scan();
        while (true) {
            for (byte[] key : cursor.getKeys()) {
                byte[] value = from.dump(key);
                long ttl = from.pttl(key);
                if (value != null) {
                    into.restore(
                            key,
                            value,
                            RestoreArgs.Builder.ttl(Math.max(ttl, 0)).replace());
                }
            }
            if (cursor.isFinished()) {
                return;
            }
            cursor = from.scan(ScanCursor.of(cursor.getCursor()));
        }
    }

    /** A connection to {@code redis} as the copy's own user, all commands allowed. */
    private StatefulRedisConnection<byte[], byte[]> open(ManagedRedis redis) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        redis.setUser(COPY_USER, List.of(password), false, "on ~* &* +@all");
        return client.connect(
                ByteArrayCodec.INSTANCE,
                RedisURI.builder()
                        .withHost("127.0.0.1")
                        .withPort(redis.port())
                        .withSsl(true)
                        .withAuthentication(COPY_USER, password)
                        .withTimeout(Duration.ofSeconds(30))
                        .build());
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
