package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.paasbroker.it.isolation.MysqlProbe;
import io.paasbroker.it.isolation.PostgresProbe;
import io.paasbroker.it.isolation.RedisProbe;
import io.paasbroker.it.isolation.TenantProbe;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default catalog's PostgreSQL, MySQL and Redis plans require TLS: the embedded servers refuse a binding's login
 * over plaintext (PostgreSQL's client rules, MySQL's REQUIRE SSL, Redis' TLS-only port), and take it over TLS.
 */
class TlsRequiredIT {

    private static BrokerProcess broker;

    @BeforeAll
    static void broker() {
        broker = BrokerProcess.start(
                "tls-required", Path.of("target", "it-work", "tls-required-" + UUID.randomUUID()), List.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void postgresqlRefusesABindingsLoginWithoutTls() throws Exception {
        JsonNode credentials = bound(new PostgresProbe());
        String address = "jdbc:postgresql://" + credentials.get("host").asText() + ":"
                + credentials.get("port").asInt() + "/"
                + credentials.get("database").asText();
        String user = credentials.get("username").asText();
        String password = credentials.get("password").asText();

        assertThatThrownBy(() -> DriverManager.getConnection(address + "?sslmode=disable", user, password)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");
        try (Connection c =
                DriverManager.getConnection(credentials.get("jdbcUrl").asText())) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void mysqlRefusesABindingsUserWithoutTls() throws Exception {
        JsonNode credentials = bound(new MysqlProbe());
        String address = "jdbc:mariadb://" + credentials.get("host").asText() + ":"
                + credentials.get("port").asInt() + "/"
                + credentials.get("database").asText();
        String user = credentials.get("username").asText();
        String password = credentials.get("password").asText();

        assertThatThrownBy(() -> DriverManager.getConnection(address + "?sslMode=disable", user, password)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                ResultSet cipher = c.createStatement().executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            assertThat(cipher.next()).isTrue();
            assertThat(cipher.getString(2)).isNotBlank();
        }
    }

    @Test
    void redisHasNoPlaintextPortForABindingsUser() {
        JsonNode credentials = bound(new RedisProbe());
        assertThat(credentials.get("uri").asText()).startsWith("rediss://");
        RedisURI plaintext = RedisURI.builder()
                .withHost(credentials.get("host").asText())
                .withPort(credentials.get("port").asInt())
                .withAuthentication(
                        credentials.get("username").asText(),
                        credentials.get("password").asText())
                .withTimeout(Duration.ofSeconds(5))
                .build();
        RedisClient client = RedisClient.create();
        try {
            assertThatThrownBy(() -> {
                        try (StatefulRedisConnection<String, String> connection = client.connect(plaintext)) {
                            connection.sync().ping();
                        }
                    })
                    .isInstanceOf(RuntimeException.class);
        } finally {
            client.shutdown();
        }
    }

    private static JsonNode bound(TenantProbe probe) {
        Platform platform = new Platform(broker.client(), probe.service(), probe.plan());
        String instance = UUID.randomUUID().toString();
        assertThat(platform.provision(instance, false).status()).isEqualTo(201);
        return platform.bind(instance, UUID.randomUUID().toString(), false)
                .body()
                .get("credentials");
    }
}
