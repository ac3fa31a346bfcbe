package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.local.common.ServerProvisionerContract.KeptLogin;
import io.paasbroker.provisioner.local.common.ServerProvisionerContract.SecondAdmin;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A second admin account on a database server reached over JDBC: its logins are JDBC connections, and closing it
 * closes its provisioner, then drops the account.
 *
 * @param login opens a connection as the account with a password
 * @param passwordRefused the server's SQL state for a refused password
 * @param drop drops the account
 */
public record JdbcSecondAdmin<P extends ServiceProvisioner & AutoCloseable>(
        P provisioner, Function<String, TestJdbc.Sql<Connection>> login, String passwordRefused, Runnable drop)
        implements SecondAdmin<P> {

    @Override
    public boolean logsIn(String password) {
        try (Connection connection = login.apply(password).run()) {
            return true;
        } catch (SQLException e) {
            if (passwordRefused.equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<KeptLogin> keepLogin(String password) {
        Connection connection = TestJdbc.unchecked(login.apply(password));
        return Optional.of(new KeptLogin() {
            @Override
            public boolean answers() {
                return "1".equals(TestJdbc.unchecked(() -> TestJdbc.string(connection, "SELECT 1")));
            }

            @Override
            public void close() {
                TestJdbc.unchecked(() -> {
                    connection.close();
                    return null;
                });
            }
        });
    }

    @Override
    public void close() {
        try {
            provisioner.close();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            drop.run();
        }
    }
}
