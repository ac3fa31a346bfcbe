package io.paasbroker.provisioner.local.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC for the tests' own look at a server: queries, and SQLException made unchecked where a hook cannot throw. */
public final class TestJdbc {

    private TestJdbc() {}

    public interface Sql<T> {
        T run() throws SQLException;
    }

    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public static <T> T unchecked(Sql<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs {@code work} on a connection {@code connect} opens, closes it, and makes any SQLException unchecked. */
    public static <T> T onConnection(Sql<Connection> connect, SqlWork<T> work) {
        return unchecked(() -> {
            try (Connection c = connect.run()) {
                return work.run(c);
            }
        });
    }

    /** The first column of the first row; null when there is none. */
    public static String string(Connection c, String query) throws SQLException {
        List<String> values = strings(c, query);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first column of every row. */
    public static List<String> strings(Connection c, String query, String... arguments) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(query)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }
}
