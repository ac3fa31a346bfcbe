package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

public final class MysqlProbe implements TenantProbe {

    @Override
    public String toString() {
        return "mysql";
    }

    @Override
    public String service() {
        return "2d1b6a0c-8c1e-4d8b-a1c4-5b9e0f7a3d02";
    }

    @Override
    public String plan() {
        return "9a3e5f1b-7d2c-4e6a-8b0f-1c2d3e4f5a21";
    }

    @Override
    public void write(JsonNode credentials, String value) throws SQLException {
        try (Connection c = connect(credentials);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS probe (v varchar(100))");
            s.execute("DELETE FROM probe");
            s.execute("INSERT INTO probe VALUES ('" + value + "')");
        }
    }

    @Override
    public String read(JsonNode credentials) throws SQLException {
        return queryOne(credentials, "SELECT v FROM probe");
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        try (Connection c = connect(credentials)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        String db = "`" + victim.get("name").asText() + "`";
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put("see the victim's database", () -> {
            if (!queryOne(
                            intruder,
                            "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                                    + victim.get("name").asText() + "'")
                    .equals("1")) {
                throw new SQLException("not listed");
            }
        });
        attacks.put("use the victim's database", () -> execute(intruder, "USE " + db));
        attacks.put("list the victim's tables", () -> queryOne(intruder, "SHOW TABLES FROM " + db));
        attacks.put("read the victim's rows", () -> queryOne(intruder, "SELECT v FROM " + db + ".probe"));
        attacks.put("write the victim's rows", () -> execute(intruder, "INSERT INTO " + db + ".probe VALUES ('x')"));
        attacks.put("delete the victim's rows", () -> execute(intruder, "DELETE FROM " + db + ".probe"));
        attacks.put("drop the victim's table", () -> execute(intruder, "DROP TABLE " + db + ".probe"));
        attacks.put("drop the victim's database", () -> execute(intruder, "DROP DATABASE " + db));
        attacks.put("change server settings", () -> execute(intruder, "SET GLOBAL max_connections = 5"));
        attacks.put("create users", () -> execute(intruder, "CREATE USER 'intruder'@'%' IDENTIFIED BY 'x'"));
        attacks.put("read the user table", () -> queryOne(intruder, "SELECT count(*) FROM mysql.user"));
        attacks.put("see other sessions", () -> {
            if (!queryOne(
                            intruder,
                            "SELECT count(*) FROM information_schema.PROCESSLIST WHERE USER = '"
                                    + victim.get("username").asText() + "'")
                    .equals("1")) {
                throw new SQLException("not visible");
            }
        });
        attacks.put("shut the server down", () -> execute(intruder, "SHUTDOWN"));
        return attacks;
    }

    /** The victim keeps a session open while its neighbour looks for it. */
    static Connection openSession(JsonNode credentials) throws SQLException {
        return connect(credentials);
    }

    /** Over TLS verifying the server, as the plans require. */
    private static Connection connect(JsonNode credentials) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mariadb://" + credentials.get("hostname").asText() + ":"
                        + credentials.get("port").asInt() + "/"
                        + credentials.get("name").asText() + "?sslMode=verify-full&serverSslCert="
                        + credentials.get("ca_certificate").asText(),
                credentials.get("username").asText(),
                credentials.get("password").asText());
    }

    private static void execute(JsonNode credentials, String sql) throws SQLException {
        try (Connection c = connect(credentials);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryOne(JsonNode credentials, String sql) throws SQLException {
        try (Connection c = connect(credentials);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            if (!rows.next()) {
                throw new SQLException("no row");
            }
            return rows.getString(1);
        }
    }
}
