package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** PostgreSQL through the broker's HTTP API, with every credential used against the real server. */
class PostgresEndToEndIT extends BrokerIT {

    private static final String DELETE_QUERY = "?service_id=" + PG_SERVICE + "&plan_id=" + PG_SMALL;

    @Autowired
    EmbeddedPostgresServer server;

    @Test
    void bindingsShareDataAndUnbindRevokesOnlyTheUnboundOne() throws SQLException {
        String instance = newId();
        assertThat(osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of()))
                        .status())
                .isEqualTo(201);
        String first = newId();
        String second = newId();
        JsonNode writer = credentials(osb.put(bindingPath(instance, first), bind(PG_SERVICE, PG_SMALL, Map.of())));
        JsonNode reader = credentials(osb.put(bindingPath(instance, second), bind(PG_SERVICE, PG_SMALL, Map.of())));

        assertThat(writer.get("uri").asText()).startsWith("postgres://");
        assertThat(writer.get("username").asText())
                .isNotEqualTo(reader.get("username").asText());
        execute(writer, "CREATE TABLE notes (body text)", "INSERT INTO notes VALUES ('written by the first binding')");
        assertThat(queryOne(reader, "SELECT body FROM notes")).isEqualTo("written by the first binding");

        assertThat(osb.delete(bindingPath(instance, first) + DELETE_QUERY).status())
                .isEqualTo(200);

        assertThatThrownBy(() -> connect(writer)).isInstanceOf(SQLException.class);
        assertThat(queryOne(reader, "SELECT body FROM notes")).isEqualTo("written by the first binding");
        execute(reader, "INSERT INTO notes VALUES ('the table outlived its creator')");
    }

    @Test
    void credentialsOfOneInstanceAreDeniedOnAnother() throws SQLException {
        String a = newId();
        String b = newId();
        osb.put(instancePath(a), provision(PG_SERVICE, PG_SMALL, Map.of()));
        osb.put(instancePath(b), provision(PG_SERVICE, PG_SMALL, Map.of()));
        JsonNode tenantA = credentials(osb.put(bindingPath(a, newId()), bind(PG_SERVICE, PG_SMALL, Map.of())));
        JsonNode tenantB = credentials(osb.put(bindingPath(b, newId()), bind(PG_SERVICE, PG_SMALL, Map.of())));
        execute(tenantB, "CREATE TABLE secrets (v text)", "INSERT INTO secrets VALUES ('b only')");

        String databaseOfB = tenantB.get("name").asText();
        assertThatThrownBy(() -> DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + databaseOfB,
                        tenantA.get("username").asText(),
                        tenantA.get("password").asText()))
                .hasMessageContaining("permission denied");
        for (String other : new String[] {"postgres", "template1", EmbeddedPostgresServer.STATE_DATABASE}) {
            assertThatThrownBy(() -> DriverManager.getConnection(
                            "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + other,
                            tenantA.get("username").asText(),
                            tenantA.get("password").asText()))
                    .as(other)
                    .hasMessageContaining("permission denied");
        }
        assertThat(queryOne(tenantB, "SELECT v FROM secrets")).isEqualTo("b only");
    }

    @Test
    void deprovisionLeavesNoDatabaseOrRoleBehind() throws SQLException {
        String instance = newId();
        osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of()));
        JsonNode binding = credentials(osb.put(bindingPath(instance, newId()), bind(PG_SERVICE, PG_SMALL, Map.of())));
        String database = binding.get("name").asText();

        OsbClient.Response deleted = osb.delete(instancePath(instance) + DELETE_QUERY + "&accepts_incomplete=true");
        assertThat(awaitOperation(instancePath(instance) + "/last_operation?operation=" + deleted.text("operation"))
                        .status())
                .isEqualTo(410);

        try (Connection admin = DriverManager.getConnection(
                server.jdbcUrl("postgres"), EmbeddedPostgresServer.ADMIN, server.adminPassword())) {
            assertThat(count(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'"))
                    .isZero();
            assertThat(count(admin, "SELECT count(*) FROM pg_roles WHERE rolname LIKE '" + database + "%'"))
                    .isZero();
        }
    }

    /** With the URL that carries no login, and the login beside it, as Spring Cloud Bindings connects. */
    private static Connection connect(JsonNode credentials) throws SQLException {
        return DriverManager.getConnection(
                credentials.get("jdbc-url").asText(),
                credentials.get("username").asText(),
                credentials.get("password").asText());
    }

    private static void execute(JsonNode credentials, String... statements) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String queryOne(JsonNode credentials, String query) throws SQLException {
        try (Connection c = connect(credentials);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static long count(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
