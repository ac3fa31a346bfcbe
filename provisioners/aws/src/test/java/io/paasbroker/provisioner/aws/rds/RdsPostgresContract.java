package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The provisioner contract of the RDS provisioner, wherever its RDS is (the test bed's fake, or AWS): an application
 * connects with its binding's {@code jdbcUrl} alone, over verified TLS.
 */
abstract class RdsPostgresContract extends ServiceProvisionerContract {

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        try {
            return new Session(DriverManager.getConnection(text(credentials, "jdbcUrl")), credentials);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Credentials credentials, String key) {
        return String.valueOf(credentials.values().get(key));
    }

    /** Reads and writes a one-row table {@code marker} in the instance's database. */
    private record Session(Connection connection, Credentials credentials) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            sql(() -> {
                try (Statement s = connection.createStatement();
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO marker VALUES (?)")) {
                    s.execute("CREATE TABLE IF NOT EXISTS marker (value text)");
                    s.execute("DELETE FROM marker");
                    insert.setString(1, marker);
                    insert.execute();
                }
                return null;
            });
        }

        @Override
        public String readMarker() {
            return sql(() -> marker(connection));
        }

        /** With this binding's login and password, at the other binding's server and database. */
        @Override
        public String readMarkerOf(Credentials other) {
            return sql(() -> {
                Properties login = new Properties();
                login.setProperty("user", text(credentials, "username"));
                login.setProperty("password", text(credentials, "password"));
                try (Connection foreign = DriverManager.getConnection(text(other, "jdbc-url"), login)) {
                    return marker(foreign);
                }
            });
        }

        private static String marker(Connection c) throws SQLException {
            try (Statement s = c.createStatement();
                    ResultSet row = s.executeQuery(
                            "SELECT CASE WHEN to_regclass('marker') IS NOT NULL THEN (SELECT value FROM marker) END")) {
                row.next();
                return row.getString(1);
            }
        }

        @Override
        public void close() {
            sql(() -> {
                connection.close();
                return null;
            });
        }

        private interface Sql<T> {
            T run() throws SQLException;
        }

        private static <T> T sql(Sql<T> work) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
