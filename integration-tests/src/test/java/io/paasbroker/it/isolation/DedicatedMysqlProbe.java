package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.it.AwsTestBedBrokers;
import io.paasbroker.it.AzureTestBedBrokers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MySQL on a cloud's server of each service instance's own: an RDS instance (the aws plans, against the AWS test bed)
 * or an Azure flexible server (the azure plans, against the Azure test bed). Its data is used as any MySQL's; the
 * attacks differ, since every tenant has a server to itself: tenant A's user tried on tenant B's server, and on its own
 * server whatever would reach past its database (users, databases, server settings, files, the administrator's
 * sessions), which the cloud's administrator may partly do but a binding must not.
 *
 * @param administrator the server's administrator login
 * @param killProcedure the cloud's procedure in {@code mysql} that ends another user's session
 */
public record DedicatedMysqlProbe(String name, String service, String plan, String administrator, String killProcedure)
        implements TenantProbe {

    private static final MysqlProbe DATA = new MysqlProbe();

    /** MySQL on RDS: the master and RDS's {@code rds_kill}. */
    public static DedicatedMysqlProbe onRds() {
        return new DedicatedMysqlProbe(
                "mysql on rds", AwsTestBedBrokers.MYSQL, AwsTestBedBrokers.MYSQL_TINY, "pbmaster", "rds_kill");
    }

    /** MySQL on a flexible server: the administrator and Azure's {@code az_kill}. */
    public static DedicatedMysqlProbe onFlexibleServer() {
        return new DedicatedMysqlProbe(
                "mysql on flexible server",
                AzureTestBedBrokers.MYSQL,
                AzureTestBedBrokers.MYSQL_BURSTABLE,
                "pbadmin",
                "az_kill");
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean asynchronous() {
        return true;
    }

    @Override
    public void write(JsonNode credentials, String value) throws Exception {
        DATA.write(credentials, value);
    }

    @Override
    public String read(JsonNode credentials) throws Exception {
        return DATA.read(credentials);
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        return DATA.canConnect(credentials);
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
        attacks.put(
                "become the administrator",
                () -> execute(intruder, "ALTER USER " + administrator + " IDENTIFIED BY 'intruder'"));
        attacks.put("end the administrator's sessions", () -> execute(intruder, "CALL mysql." + killProcedure + "(1)"));
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
