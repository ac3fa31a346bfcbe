package io.paasbroker.provisioner.local.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys under an instance's prefix, with their remaining time to live, as Redis's own DUMP payloads, and RESTORE
 * of them under another instance's prefix. Commands go in pipelined batches on an admin connection of their own.
 *
 * <p>The stream: the format's name ({@link DataOutputStream#writeUTF}), then per key its length (int) and bytes
 * without the prefix, its time to live in milliseconds (long, 0 for none) and the payload's length (int) and bytes;
 * a key length of -1 ends it, so a stream cut short is told from a complete one.
 */
final class RedisBackups implements InstanceBackups {

    static final String FORMAT = "redis-keys/1";

    private static final int BATCH = 100;
    private static final int END = -1;
    /** Redis's own limit for a key or value (proto-max-bulk-len); a larger length is a corrupt stream. */
    private static final int MAX_LENGTH = 512 * 1024 * 1024;

    private final ServerAdmins<RedisAdmin> servers;

    RedisBackups(ServerAdmins<RedisAdmin> servers) {
        this.servers = servers;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** A key deleted or expired between SCAN and DUMP is left out, as it would be a moment later. */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        RedisAdmin admin = servers.admin(instance);
        String prefix = RedisNames.keyPrefix(instance.instanceId());
        ScanArgs matching =
                ScanArgs.Builder.matches(RedisAclRules.keyPattern(prefix)).limit(BATCH);
        DataOutputStream data = new DataOutputStream(out);
        admin.onBinaryConnection("backing up the instance's keys", connection -> {
            RedisAsyncCommands<byte[], byte[]> commands = connection.async();
            writing(() -> data.writeUTF(FORMAT));
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = connection.sync().scan(cursor, matching);
                List<RedisFuture<byte[]>> payloads = new ArrayList<>();
                List<RedisFuture<Long>> ttls = new ArrayList<>();
                for (byte[] key : page.getKeys()) {
                    payloads.add(commands.dump(key));
                    ttls.add(commands.pttl(key));
                }
                await(admin, connection, payloads, ttls);
                for (int i = 0; i < page.getKeys().size(); i++) {
                    byte[] key = page.getKeys().get(i);
                    byte[] payload = payloads.get(i).toCompletableFuture().join();
                    long ttl = ttls.get(i).toCompletableFuture().join();
                    if (payload != null && ttl != -2) {
                        writing(() -> {
                            data.writeInt(key.length - prefix.length());
                            data.write(key, prefix.length(), key.length - prefix.length());
                            data.writeLong(ttl < 0 ? 0 : Math.max(1, ttl));
                            data.writeInt(payload.length);
                            data.write(payload);
                        });
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
            writing(() -> {
                data.writeInt(END);
                data.flush();
            });
            return null;
        });
    }

    /** Replaces keys of the same name, so a restore run again ends as the first would have. */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        RedisAdmin admin = servers.admin(instance);
        byte[] prefix = RedisNames.keyPrefix(instance.instanceId()).getBytes(StandardCharsets.UTF_8);
        DataInputStream data = new DataInputStream(in);
        admin.onBinaryConnection("restoring the instance's keys", connection -> {
            String format = reading(data::readUTF);
            if (!FORMAT.equals(format)) {
                throw corrupt("it does not start as a " + FORMAT + " backup");
            }
            List<RedisFuture<String>> batch = new ArrayList<>();
            for (int keyLength = reading(data::readInt); keyLength != END; keyLength = reading(data::readInt)) {
                byte[] key = Arrays.copyOf(prefix, prefix.length + checked(keyLength));
                int suffixLength = keyLength;
                reading(() -> {
                    data.readFully(key, prefix.length, suffixLength);
                    return null;
                });
                long ttl = reading(data::readLong);
                byte[] payload = new byte[checked(reading(data::readInt))];
                reading(() -> {
                    data.readFully(payload);
                    return null;
                });
                batch.add(connection
                        .async()
                        .restore(key, payload, RestoreArgs.Builder.ttl(ttl).replace()));
                if (batch.size() == BATCH) {
                    await(admin, connection, batch);
                    batch.clear();
                }
            }
            await(admin, connection, batch);
            return null;
        });
    }

    @SafeVarargs
    private static void await(
            RedisAdmin admin,
            StatefulRedisConnection<byte[], byte[]> connection,
            List<? extends RedisFuture<?>>... lists) {
        RedisFuture<?>[] all = Arrays.stream(lists).flatMap(List::stream).toArray(RedisFuture[]::new);
        LettuceFutures.awaitAll(admin.server().connectTimeout().multipliedBy(2), all);
    }

    private static int checked(int length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw corrupt("it holds a length of " + length);
        }
        return length;
    }

    private interface Write {
        void run() throws IOException;
    }

    private interface Read<T> {
        T run() throws IOException;
    }

    /** A failure of the caller's stream, carried out of Lettuce's callbacks. */
    private static void writing(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new ProvisioningFailedException(
                    "backing up the instance's keys failed: writing the backup: " + e.getMessage(), e);
        }
    }

    private static <T> T reading(Read<T> read) {
        try {
            return read.run();
        } catch (EOFException | UTFDataFormatException e) {
            throw corrupt("it ends early or holds no format name");
        } catch (IOException e) {
            throw new ProvisioningFailedException(
                    "restoring the instance's keys failed: reading the backup: " + e.getMessage(), e);
        }
    }

    private static ProvisioningFailedException corrupt(String why) {
        return new ProvisioningFailedException(
                "restoring the instance's keys failed: the backup is not whole or not of this format: " + why);
    }
}
