package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.it.AwsTestBedBrokers;
import io.paasbroker.it.AzureTestBedBrokers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL on a server of each service instance's own (an RDS instance of the aws plans, a flexible server of the
 * azure plans, against their test beds). Its data is used as any PostgreSQL's; the attacks differ, since every tenant
 * has a server to itself: tenant A's login tried on tenant B's server, and on its own server whatever would reach past
 * its database (roles, databases, server settings, files, programs, the cloud's administrator roles), which the
 * server's administrator may partly do but a binding must not.
 */
public final class DedicatedPostgresProbe implements TenantProbe {

    private final PostgresProbe data = new PostgresProbe();
    private final String name;
    private final String service;
    private final String plan;
    private final List<String> adminRoles;

    /** {@code adminRoles}: the server's administrator and the cloud's administrator roles, none of them a binding's. */
    public DedicatedPostgresProbe(String name, String service, String plan, List<String> adminRoles) {
        this.name = name;
        this.service = service;
        this.plan = plan;
        this.adminRoles = List.copyOf(adminRoles);
    }

    /** PostgreSQL on RDS: the master and RDS's administrator role. */
    public static DedicatedPostgresProbe onRds() {
        return new DedicatedPostgresProbe(
                "postgresql on rds",
                AwsTestBedBrokers.SERVICE,
                AwsTestBedBrokers.TINY,
                List.of("pbmaster", "rds_superuser"));
    }

    /** PostgreSQL on a flexible server: the administrator and Azure's administrator role. */
    public static DedicatedPostgresProbe onFlexibleServer() {
        return new DedicatedPostgresProbe(
                "postgresql on flexible server",
                AzureTestBedBrokers.POSTGRESQL,
                AzureTestBedBrokers.BURSTABLE,
                List.of("pbadmin", "azure_pg_admin"));
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public String plan() {
        return plan;
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
        for (String role : adminRoles) {
            attacks.put("become " + role, () -> execute(intruder, "SET ROLE " + role));
        }
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
