package io.paasbroker.provisioner.azure.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * What an application does with an Azure Managed Redis binding: it connects over TLS to the binding's host, verified
 * against the binding's CA, and logs in as its own Entra ID identity (the binding's {@code username}) with a token it
 * got for the binding's {@code entra_id_scope}. It does not reconnect, so a closed connection stays closed.
 */
final class EntraRedisSession implements ServiceProvisionerContract.TenantSession {

    private static final String MARKER = "marker";

    private final Credentials credentials;
    private final Function<String, String> tokens;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    /** @param tokens an identity's token for a scope, by the identity's object id: what the application's SDK gets */
    EntraRedisSession(Credentials credentials, Function<String, String> tokens) {
        this(credentials, tokens, String.valueOf(credentials.values().get("host")));
    }

    private EntraRedisSession(Credentials credentials, Function<String, String> tokens, String host) {
        this.credentials = credentials;
        this.tokens = tokens;
        String objectId = String.valueOf(credentials.values().get("username"));
        RedisURI uri = RedisURI.builder()
                .withHost(host)
                .withPort(((Number) credentials.values().get("port")).intValue())
                .withSsl(true)
                .withAuthentication(objectId, tokens.apply(objectId))
                .withTimeout(Duration.ofSeconds(5))
                .build();
        this.client = RedisClient.create();
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false);
        Object ca = credentials.values().get("ca_certificate");
        Path caFile = ca == null ? null : caFile(String.valueOf(ca));
        try {
            if (caFile != null) {
                // a private CA (the test bed's); Azure's certificates chain to CAs the JVM trusts
                options.sslOptions(
                        SslOptions.builder().trustManager(caFile.toFile()).build());
            }
            client.setOptions(options.build());
            this.connection = client.connect(uri);
        } catch (RuntimeException refused) {
            client.shutdown();
            throw refused;
        } finally {
            if (caFile != null) {
                caFile.toFile().delete();
            }
        }
    }

    @Override
    public void writeMarker(String marker) {
        connection.sync().set(MARKER, marker);
    }

    @Override
    public String readMarker() {
        return connection.sync().get(MARKER);
    }

    /** As this session's identity, at the cache of {@code other}. */
    @Override
    public String readMarkerOf(Credentials other) {
        try (EntraRedisSession foreign = new EntraRedisSession(
                credentials, tokens, String.valueOf(other.values().get("host")))) {
            return foreign.readMarker();
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    private static Path caFile(String pem) {
        try {
            Path file = Files.createTempFile("ca", ".pem");
            Files.writeString(file, pem);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
