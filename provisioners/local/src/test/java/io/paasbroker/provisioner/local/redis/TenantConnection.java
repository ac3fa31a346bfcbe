package io.paasbroker.provisioner.local.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.paasbroker.provisioner.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A connection as a binding's user, opened from its credentials' {@code uri} as an application would open it. It does
 * not reconnect, so a connection the server closed stays closed.
 */
final class TenantConnection implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TenantConnection(RedisClient client) {
        this.client = client;
        try {
            this.connection = client.connect();
        } catch (RuntimeException refused) {
            client.shutdown(0, 0, TimeUnit.SECONDS);
            throw refused;
        }
    }

    /** Throws {@link io.lettuce.core.RedisConnectionException} when the server refuses the credentials. */
    static TenantConnection open(ClientResources resources, Credentials credentials) {
        RedisURI uri = RedisURI.create((String) credentials.values().get("uri"));
        uri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(false).build());
        return new TenantConnection(client);
    }

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Any command, given as its words ({@code "CONFIG", "GET", "*"}), whatever Lettuce has an API for. */
    List<Object> call(String... words) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        Arrays.stream(words).skip(1).forEach(args::add);
        return commands().dispatch(new Command(words[0]), new NestedMultiOutput<>(StringCodec.UTF8), args);
    }

    /** Another connection as the same user, for SUBSCRIBE and PSUBSCRIBE. */
    StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private record Command(String name) implements ProtocolKeyword {

        @Override
        public byte[] getBytes() {
            return name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
