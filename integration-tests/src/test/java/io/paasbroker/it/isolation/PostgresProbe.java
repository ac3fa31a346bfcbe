package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

public final class PostgresProbe implements TenantProbe {

    @Override
    public String toString() {
        return "postgresql";
    }

    @Override
    public String service() {
        return "5b2c4c4e-6a0b-4b59-9a4b-2f5f0a3d7c01";
    }

    @Override
    public String plan() {
        return "0f4f0c8e-4c1f-4e0a-9d51-6a3c1a4c2b11";
    }

    @Override
    public void write(JsonNode credentials, String value) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS probe (v text)");
            s.execute("DELETE FROM probe");
            s.execute("INSERT INTO probe VALUES ('" + value + "')");
        }
    }

    @Override
    public String read(JsonNode credentials) throws SQLException {
        return queryOne(credentials, credentials.get("name").asText(), "SELECT v FROM probe");
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        try (Connection c =
                DriverManager.getConnection(credentials.get("jdbcUrl").asText())) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        String victimDatabase = victim.get("name").asText();
        String own = intruder.get("name").asText();
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put(
                "connect to the victim's database",
                () -> connect(intruder, victimDatabase).close());
        attacks.put(
                "list the victim's tables", () -> queryOne(intruder, victimDatabase, "SELECT count(*) FROM pg_tables"));
        attacks.put("read the victim's rows", () -> queryOne(intruder, victimDatabase, "SELECT v FROM probe"));
        attacks.put(
                "write the victim's rows", () -> execute(intruder, victimDatabase, "INSERT INTO probe VALUES ('x')"));
        attacks.put("delete the victim's rows", () -> execute(intruder, victimDatabase, "DELETE FROM probe"));
        attacks.put("drop the victim's database", () -> execute(intruder, own, "DROP DATABASE " + victimDatabase));
        attacks.put("connect to postgres", () -> connect(intruder, "postgres").close());
        attacks.put(
                "connect to the broker's state",
                () -> connect(intruder, "paasbroker").close());
        attacks.put("change server settings", () -> execute(intruder, own, "ALTER SYSTEM SET max_connections = 5"));
        attacks.put("create roles", () -> execute(intruder, own, "CREATE ROLE intruder LOGIN"));
        attacks.put("create databases", () -> execute(intruder, own, "CREATE DATABASE intruder"));
        attacks.put("read server files", () -> queryOne(intruder, own, "SELECT pg_read_file('postgresql.conf')"));
        attacks.put("run programs", () -> execute(intruder, own, "COPY (SELECT 1) TO PROGRAM 'true'"));
        return attacks;
    }

    private static Connection connect(JsonNode credentials, String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + credentials.get("hostname").asText() + ":"
                        + credentials.get("port").asInt() + "/" + database,
                credentials.get("username").asText(),
                credentials.get("password").asText());
    }

    private static void execute(JsonNode credentials, String database, String sql) throws SQLException {
        try (Connection c = connect(credentials, database);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryOne(JsonNode credentials, String database, String sql) throws SQLException {
        try (Connection c = connect(credentials, database);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            if (!rows.next()) {
                throw new SQLException("no row: nothing was done");
            }
            return rows.getString(1);
        }
    }
}
