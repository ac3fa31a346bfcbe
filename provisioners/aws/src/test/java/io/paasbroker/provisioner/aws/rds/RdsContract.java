package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.StepOutcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The provisioner contract of the RDS provisioner, for each engine, wherever its RDS is (the test bed's fake, or AWS):
 * an application connects with its binding's {@code jdbcUrl} alone, over verified TLS.
 */
abstract class RdsContract extends ServiceProvisionerContract {

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return JdbcTenantSession.open(credentials);
    }

    static String text(Credentials credentials, String key) {
        return JdbcTenantSession.text(credentials, key);
    }

    /** What a point-in-time restore's scenario leaves to check: the source, its copy, and the moment restored to. */
    interface RestoredCopy {
        void check(String source, InstanceRequest copy, Instant moment) throws Exception;
    }

    /**
     * An instance written to before and after a moment, restored to that moment into a new instance of the plan: the
     * copy's binding reads what was written before, the source's what was written after; {@code more} checks the rest,
     * then the copy is deleted. The moment is more than a second from either write, as RDS restores MySQL to the second.
     */
    protected final void restoredToAMoment(RestoredCopy more) throws Exception {
        ServiceProvisioner provisioner = provisioner();
        String source = provision();
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "before the moment");
        Thread.sleep(1_100);
        Instant moment = Instant.now();
        Thread.sleep(1_100);
        writeThenRead(sourceBinding, "after the moment");

        InstanceRequest copy = new InstanceRequest(newId(), plan(), Map.of(), Map.of("space_guid", "s"), Map.of());
        StepOutcome.Completed restored = RdsTestBed.completed(
                provisioner.pointInTimeRestore().orElseThrow().restore(copy, request(source), moment),
                ref -> provisioner.poll(copy, ref));
        InstanceRequest made =
                new InstanceRequest(copy.instanceId(), plan(), Map.of(), copy.labels(), restored.outputs());
        try {
            Credentials copyBinding = provisioner.bind(new BindRequest(made, newId(), Map.of()));

            assertThat(read(copyBinding)).as("the copy's data").isEqualTo("before the moment");
            assertThat(read(sourceBinding)).as("the source's").isEqualTo("after the moment");
            more.check(source, made, moment);
        } finally {
            RdsTestBed.completed(provisioner.deprovision(made), ref -> provisioner.poll(made, ref));
        }
    }

    /**
     * An application's session on an RDS instance's database, opened with its binding's {@code jdbcUrl} alone: it
     * reads and writes a one-row table {@code marker}.
     */
    private record JdbcTenantSession(Connection connection, Credentials credentials) implements TenantSession {

        /** "No such table": PostgreSQL's SQL state, and MySQL's. */
        private static final Set<String> NO_SUCH_TABLE = Set.of("42P01", "42S02");

        static JdbcTenantSession open(Credentials credentials) {
            return new JdbcTenantSession(
                    sql(() -> DriverManager.getConnection(text(credentials, "jdbcUrl"))), credentials);
        }

        static String text(Credentials credentials, String key) {
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
}
