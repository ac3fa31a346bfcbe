package io.paasbroker.it.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.paasbroker.it.BindingTls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

public final class RedisProbe implements TenantProbe {

    private final RedisClient client = RedisClient.create();

    @Override
    public String toString() {
        return "redis";
    }

    @Override
    public String service() {
        return "6e8f2a4b-1c3d-4e5f-9a7b-8c0d1e2f3a03";
    }

    @Override
    public String plan() {
        return "3b4c5d6e-7f80-4a1b-9c2d-3e4f5a6b7c31";
    }

    @Override
    public void write(JsonNode credentials, String value) {
        as(credentials, redis -> redis.set(key(credentials), value));
    }

    @Override
    public String read(JsonNode credentials) {
        String[] value = new String[1];
        as(credentials, redis -> value[0] = redis.get(key(credentials)));
        return value[0];
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        try {
            as(credentials, RedisCommands::ping);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        String victimKey = key(victim);
        String victimPrefix = victim.get("key_prefix").asText();
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put("read the victim's key", () -> as(intruder, r -> r.get(victimKey)));
        attacks.put("write the victim's key", () -> as(intruder, r -> r.set(victimKey, "x")));
        attacks.put("delete the victim's key", () -> as(intruder, r -> r.del(victimKey)));
        attacks.put("expire the victim's key", () -> as(intruder, r -> r.expire(victimKey, 1)));
        attacks.put("rename into the victim's keys", () -> as(intruder, r -> r.rename(key(intruder), victimKey)));
        attacks.put("scan for keys", () -> as(intruder, r -> r.scan(ScanArgs.Builder.matches(victimPrefix + "*"))));
        attacks.put("list keys", () -> as(intruder, r -> r.keys("*")));
        attacks.put("pick a random key", () -> as(intruder, RedisCommands::randomkey));
        attacks.put("count keys", () -> as(intruder, RedisCommands::dbsize));
        attacks.put("select another database", () -> as(intruder, r -> r.select(1)));
        attacks.put("flush everything", () -> as(intruder, RedisCommands::flushall));
        attacks.put("flush the database", () -> as(intruder, RedisCommands::flushdb));
        attacks.put("read the configuration", () -> as(intruder, r -> r.configGet("*")));
        attacks.put("change the configuration", () -> as(intruder, r -> r.configSet("maxmemory", "1")));
        attacks.put("read server information", () -> as(intruder, RedisCommands::info));
        attacks.put("list clients", () -> as(intruder, RedisCommands::clientList));
        attacks.put("list users", () -> as(intruder, RedisCommands::aclList));
        attacks.put("publish on the victim's channels", () -> as(intruder, r -> r.publish(victimPrefix + "news", "x")));
        // sent raw: Lettuce's shutdown() expects the connection to drop and reports no refusal
        attacks.put(
                "shut the server down",
                () -> as(
                        intruder,
                        r -> r.dispatch(
                                CommandType.SHUTDOWN,
                                new StatusOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8).add("NOSAVE"))));
        return attacks;
    }

    private static String key(JsonNode credentials) {
        return credentials.path("key_prefix").asText() + "probe";
    }

    /** Over TLS, verifying the server with the binding's CA, as every binding of a TLS server must. */
    void as(JsonNode credentials, Consumer<RedisCommands<String, String>> action) {
        on(credentials, credentials, action);
    }

    /** As {@code login}'s user, at {@code server}'s host and port (over TLS, verified with its binding's CA). */
    public void on(JsonNode server, JsonNode login, Consumer<RedisCommands<String, String>> action) {
        try (StatefulRedisConnection<String, String> connection = connect(server, login)) {
            action.accept(connection.sync());
        }
    }

    /**
     * A connection as {@code login}'s user (its {@code username} and {@code password}; none, no login), at {@code server}'s host and
     * port over TLS, verified with its binding's CA. It does not reconnect: a connection the server closed stays so.
     */
    StatefulRedisConnection<String, String> connect(JsonNode server, JsonNode login) {
        assertThat(server.get("tls").asBoolean()).isTrue();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .sslOptions(SslOptions.builder()
                        .trustManager(BindingTls.of(server).trustManagerFactory())
                        .build())
                .build());
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(server.get("hostname").asText())
                .withPort(server.get("port").asInt())
                .withSsl(true)
                .withVerifyPeer(SslVerifyMode.FULL)
                .withTimeout(Duration.ofSeconds(5));
        if (login.has("username")) {
            uri.withAuthentication(
                    login.get("username").asText(), login.get("password").asText());
        }
        return client.connect(uri.build());
    }
}
