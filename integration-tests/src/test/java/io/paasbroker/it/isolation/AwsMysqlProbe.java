package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.it.AwsTestBedBrokers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MySQL on an RDS instance of each service instance's own (the aws plans, against the AWS test bed). Its data is used
 * as any MySQL's; the attacks differ, since every tenant has a server to itself: tenant A's user tried on tenant B's
 * server, and on its own server whatever would reach past its database (users, databases, server settings, files, the
 * master's sessions), which RDS's master may partly do but a binding must not.
 */
public final class AwsMysqlProbe implements TenantProbe {

    private final MysqlProbe data = new MysqlProbe();

    @Override
    public String toString() {
        return "mysql on rds";
    }

    @Override
    public String service() {
        return AwsTestBedBrokers.MYSQL;
    }

    @Override
    public String plan() {
        return AwsTestBedBrokers.MYSQL_TINY;
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
        attacks.put("log into the victim's server", () -> on(victim, intruder).close());
        attacks.put(
                "log into the victim's server with the victim's user name and its own password",
                () -> on(
                                victim,
                                victim.get("username").asText(),
                                intruder.get("password").asText())
                        .close());
        attacks.put("change server settings", () -> execute(intruder, "SET GLOBAL max_connections = 5"));
        attacks.put("create users", () -> execute(intruder, "CREATE USER 'intruder'@'%' IDENTIFIED BY 'x'"));
        attacks.put("create databases", () -> execute(intruder, "CREATE DATABASE intruder"));
        attacks.put("read the user table", () -> execute(intruder, "SELECT * FROM mysql.user"));
        attacks.put("write server files", () -> execute(intruder, "SELECT 1 INTO OUTFILE '/tmp/intruder'"));
        attacks.put("become the master", () -> execute(intruder, "ALTER USER pbmaster IDENTIFIED BY 'intruder'"));
        attacks.put("end the master's sessions", () -> execute(intruder, "CALL mysql.rds_kill(1)"));
        return attacks;
    }

    /** A connection over TLS to {@code server}'s host, port and database, as {@code login}. */
    private static Connection on(JsonNode server, JsonNode login) throws Exception {
        return on(server, login.get("username").asText(), login.get("password").asText());
    }

    private static Connection on(JsonNode server, String username, String password) throws Exception {
        return DriverManager.getConnection(
                "jdbc:mariadb://" + server.get("hostname").asText() + ":"
                        + server.get("port").asInt() + "/" + server.get("name").asText() + "?sslMode=trust",
                username,
                password);
    }

    private static void execute(JsonNode credentials, String sql) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
