package io.paasbroker.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What an application writes and reads with a PostgreSQL or MySQL binding's {@code jdbcUrl} alone: one marker. */
final class SqlMarker {

    private SqlMarker() {}

    static void write(JsonNode credentials, String marker) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS marker (value text)");
            s.execute("DELETE FROM marker");
            s.execute("INSERT INTO marker VALUES ('" + marker + "')");
        }
    }

    static String read(JsonNode credentials) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT value FROM marker")) {
            row.next();
            return row.getString(1);
        }
    }
}
