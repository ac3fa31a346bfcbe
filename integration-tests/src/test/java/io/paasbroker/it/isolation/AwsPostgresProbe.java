package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.it.AwsTestBedBrokers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL on an RDS instance of each service instance's own (the aws plans, against the AWS test bed). Its data is
 * used as any PostgreSQL's; the attacks differ, since every tenant has a server to itself: tenant A's login tried on
 * tenant B's server, and on its own server whatever would reach past its database (roles, databases, server settings,
 * files, programs), which RDS's master may partly do but a binding must not.
 */
public final class AwsPostgresProbe implements TenantProbe {

    private final PostgresProbe data = new PostgresProbe();

    @Override
    public String toString() {
        return "postgresql on rds";
    }

    @Override
    public String service() {
        return AwsTestBedBrokers.SERVICE;
    }

    @Override
    public String plan() {
        return AwsTestBedBrokers.TINY;
    }

    @Override
    public boolean asynchronous() {
        return true;
    }

    @Override
    public void write(JsonNode credentials, String value) throws Exception {
        data.write(credentials, value);
    }

    @Override
    public String read(JsonNode credentials) throws Exception {
        return data.read(credentials);
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        return data.canConnect(credentials);
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put(
                "log into the victim's server",
                () -> on(victim, victim.get("name").asText(), intruder).close());
        attacks.put(
                "log into the victim's server's postgres database",
                () -> on(victim, "postgres", intruder).close());
        attacks.put(
                "log into the victim's server with the victim's user name and its own password",
                () -> on(victim, victim.get("name").asText(), victimNameOwnPassword(intruder, victim))
                        .close());
        attacks.put("change server settings", () -> execute(intruder, "ALTER SYSTEM SET max_connections = 5"));
        attacks.put("create roles", () -> execute(intruder, "CREATE ROLE intruder LOGIN"));
        attacks.put("create databases", () -> execute(intruder, "CREATE DATABASE intruder"));
        attacks.put("read server files", () -> execute(intruder, "SELECT pg_read_file('postgresql.conf')"));
        attacks.put("run programs", () -> execute(intruder, "COPY (SELECT 1) TO PROGRAM 'true'"));
        attacks.put("become the master", () -> execute(intruder, "SET ROLE pbmaster"));
        return attacks;
    }

    /** A connection over TLS to {@code server}'s host and port, database {@code database}, as {@code login}. */
    private static Connection on(JsonNode server, String database, JsonNode login) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", login.get("username").asText());
        properties.setProperty("password", login.get("password").asText());
        properties.setProperty("sslmode", "require");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + server.get("hostname").asText() + ":"
                        + server.get("port").asInt() + "/" + database,
                properties);
    }

    private static JsonNode victimNameOwnPassword(JsonNode intruder, JsonNode victim) {
        return ((ObjectNode) intruder.deepCopy())
                .put("username", victim.get("username").asText());
    }

    private static void execute(JsonNode credentials, String sql) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
