package io.paasbroker.provisioner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;

/**
 * An application's session on a PostgreSQL or MySQL database, opened with its binding's {@code jdbcUrl} alone: it
 * reads and writes a one-row table {@code marker}.
 */
public record JdbcTenantSession(Connection connection, Credentials credentials)
        implements ServiceProvisionerContract.TenantSession {

    /** "No such table": PostgreSQL's SQL state, and MySQL's. */
    private static final Set<String> NO_SUCH_TABLE = Set.of("42P01", "42S02");

    public static JdbcTenantSession open(Credentials credentials) {
        return new JdbcTenantSession(sql(() -> DriverManager.getConnection(text(credentials, "jdbcUrl"))), credentials);
    }

    public static String text(Credentials credentials, String key) {
        return String.valueOf(credentials.values().get(key));
    }

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

    /** The marker; none before one is written. */
    private static String marker(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT value FROM marker")) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            if (NO_SUCH_TABLE.contains(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        sql(() -> {
            connection.close();
            return null;
        });
    }

    interface Sql<T> {
        T run() throws SQLException;
    }

    static <T> T sql(Sql<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
