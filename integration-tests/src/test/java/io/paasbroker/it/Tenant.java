package io.paasbroker.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** An application using its binding's credentials, exactly as handed out (the jdbcUrl). */
final class Tenant {

    private Tenant() {}

    static void execute(JsonNode credentials, String sql) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String queryOne(JsonNode credentials, String sql) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    static boolean canConnect(JsonNode credentials) {
        try (Connection c =
                DriverManager.getConnection(credentials.get("jdbcUrl").asText())) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }
}
