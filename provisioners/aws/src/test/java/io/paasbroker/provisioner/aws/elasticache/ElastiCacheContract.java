package io.paasbroker.provisioner.aws.elasticache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.UserGroupNotFoundException;

/**
 * The provisioner contract of the ElastiCache provisioner, wherever its ElastiCache is (the test bed's fake, or AWS):
 * an application connects with its binding's {@code uri} alone, over verified TLS.
 */
abstract class ElastiCacheContract extends ServiceProvisionerContract {

    static final String MARKER = "marker";

    /**
     * What ElastiCache still has of the instance: its replication group, its user group, and the users tagged as the
     * instance's (its bindings' and its default user), deleting ones included.
     */
    static List<String> leftOf(ElastiCacheClient cache, String replicationGroupId, String instanceId) {
        List<String> left = new ArrayList<>();
        try {
            cache.describeReplicationGroups(b -> b.replicationGroupId(replicationGroupId));
            left.add("replication group " + replicationGroupId);
        } catch (ReplicationGroupNotFoundException gone) {
            // deleted
        }
        try {
            cache.describeUserGroups(b -> b.userGroupId(replicationGroupId));
            left.add("user group " + replicationGroupId);
        } catch (UserGroupNotFoundException gone) {
            // deleted
        }
        cache.describeUsersPaginator(b -> {}).users().stream()
                .filter(user -> cache.listTagsForResource(b -> b.resourceName(user.arn())).tagList().stream()
                        .anyMatch(tag -> tag.key().equals(ResourceTags.INSTANCE)
                                && tag.value().equals(instanceId)))
                .forEach(user -> left.add("user " + user.userId()));
        return left;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new Session(Tenant.open(credentials));
    }

    /** Reads and writes the key {@code marker}. */
    record Session(Tenant tenant) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            tenant.commands().set(MARKER, marker);
        }

        @Override
        public String readMarker() {
            return tenant.commands().get(MARKER);
        }

        /** With this binding's user and password, at the other binding's replication group. */
        @Override
        public String readMarkerOf(Credentials other) {
            String uri = String.valueOf(tenant.credentials.values().get("uri"))
                    .replace(
                            ":" + tenant.credentials.values().get("port"),
                            ":" + other.values().get("port"));
            try (Tenant foreign = Tenant.open(tenant.credentials, uri)) {
                return foreign.commands().get(MARKER);
            }
        }

        @Override
        public void close() {
            tenant.close();
        }
    }

    /**
     * A connection as an application opens it from its binding's credentials: the {@code uri}, over TLS verified
     * against the credentials' {@code ca_certificate}; it does not reconnect, so a closed connection stays closed.
     */
    static final class Tenant implements AutoCloseable {

        final Credentials credentials;
        final RedisClient client;
        final StatefulRedisConnection<String, String> connection;

        private Tenant(
                Credentials credentials, RedisClient client, StatefulRedisConnection<String, String> connection) {
            this.credentials = credentials;
            this.client = client;
            this.connection = connection;
        }

        static Tenant open(Credentials credentials) {
            return open(credentials, String.valueOf(credentials.values().get("uri")));
        }

        /**
         * At {@code uri} (another port, no user), trusting the CA of {@code credentials}, or the JVM's CAs where they
         * carry none (ElastiCache's public certificates).
         */
        static Tenant open(Credentials credentials, String uri) {
            RedisURI redisUri = RedisURI.create(uri);
            redisUri.setTimeout(Duration.ofSeconds(5));
            RedisClient client = RedisClient.create(redisUri);
            ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false);
            Object ca = credentials.values().get("ca_certificate");
            Path caFile = null;
            if (ca != null) {
                try {
                    caFile = Files.createTempFile("ca", ".pem");
                    Files.writeString(caFile, String.valueOf(ca));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                options.sslOptions(
                        SslOptions.builder().trustManager(caFile.toFile()).build());
            }
            client.setOptions(options.build());
            try {
                return new Tenant(credentials, client, client.connect());
            } catch (RuntimeException refused) {
                client.shutdown();
                throw refused;
            } finally {
                if (caFile != null) {
                    caFile.toFile().delete();
                }
            }
        }

        RedisCommands<String, String> commands() {
            return connection.sync();
        }

        List<Object> call(String... words) {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
            Arrays.stream(words).skip(1).forEach(args::add);
            return commands().dispatch(new Command(words[0]), new NestedMultiOutput<>(StringCodec.UTF8), args);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }

        private record Command(String name) implements ProtocolKeyword {

            @Override
            public byte[] getBytes() {
                return name.getBytes(StandardCharsets.US_ASCII);
            }
        }
    }
}
