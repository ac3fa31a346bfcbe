package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.AdminPool.exists;
import static io.paasbroker.provisioner.local.mysql.MysqlAdmin.execute;

import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.common.ClientCommand;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.common.PolicyPasswords;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An instance's database as mariadb-dump's SQL, without DEFINER clauses ({@link WithoutDefiners}), and that SQL run
 * into another instance's database by the {@code mariadb} client. The restore logs in as an account of the new
 * instance with the bindings' privileges on its database only, so the SQL reaches nothing else, and that account
 * becomes the definer of the restored views, triggers, routines and events; it stays, locked, while it defines any.
 */
final class MysqlBackups implements InstanceBackups {

    static final String FORMAT = "mariadb-dump-sql/1";

    /** What mariadb-dump says when {@link LockWaitWatch} ended its statement. */
    private static final Pattern LOCK_WAIT_ENDED = Pattern.compile("execution was interrupted");

    /** The restore's account runs the backup's SQL under no limit of its own. */
    private static final String RESTORE_LIMITS = "REQUIRE NONE WITH MAX_USER_CONNECTIONS 0 MAX_QUERIES_PER_HOUR 0";

    /** mariadb-dump's last line: a dump without it was cut short. */
    private static final String LAST_LINE = "-- Dump completed";

    /** Client errors of a server that is down or gone (2002, 2003, 2006, 2013) or full (1040). */
    private static final Pattern UNREACHABLE = Pattern.compile(
            "error:? (2002|2003|2006|2013|1040)\\b|can't connect|lost connection|gone away|too many connections",
            Pattern.CASE_INSENSITIVE);

    private static final String DATABASE_EXISTS = "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";

    private final ServerAdmins<MysqlAdmin> servers;
    private final ClientPrograms programs;

    MysqlBackups(ServerAdmins<MysqlAdmin> servers, ClientPrograms programs) {
        this.servers = servers;
        this.programs = programs;
    }

    /** The {@code PATH}, then where MySQL's own packages put them. */
    static ClientPrograms defaultPrograms() {
        return ClientPrograms.onPathThen(List.of(Path.of("/usr/local/mysql/bin")));
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** One consistent snapshot ({@code --single-transaction}); binary columns as hex, so the SQL is text. */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        MysqlAdmin admin = servers.admin(instance);
        String database = MysqlNames.database(instance.instanceId());
        boolean found =
                admin.onServer("checking for the instance's database", c -> exists(c, DATABASE_EXISTS, database));
        if (!found) {
            throw new ProvisioningFailedException("the instance's database " + database + " does not exist on"
                    + " MySQL server '" + admin.server().name() + "'");
        }
        admin.withPassword(password -> dump(admin, database, password, out));
    }

    private void dump(MysqlAdmin admin, String database, String password, OutputStream out) {
        try (MysqlLogin login = MysqlLogin.of(admin.server().adminUsername(), password)) {
            List<String> command = new ArrayList<>(List.of(
                    programs.find("mariadb-dump", "mysqldump").toString(),
                    login.argument(),
                    "--single-transaction",
                    "--routines",
                    "--triggers",
                    "--events",
                    "--hex-blob",
                    "--default-character-set=utf8mb4"));
            command.addAll(connection(admin));
            command.add(database);
            WithoutDefiners dump = new WithoutDefiners(out);
            try (LockWaitWatch watch = LockWaitWatch.over(admin, database)) {
                try {
                    run("dumping the instance's database", admin, command, password)
                            .streamOutputTo(dump);
                } catch (ProvisionerException e) {
                    throw watch.endedAWait() ? ServerFailures.explainLockWait(e, LOCK_WAIT_ENDED) : e;
                }
            }
            dump.finish();
        } catch (IOException e) {
            throw new ProvisioningFailedException(
                    "dumping the instance's database failed: writing the backup: " + e.getMessage(), e);
        }
    }

    /**
     * Into the database made anew, so that a restore run again ends as the first would have. Client commands in the
     * SQL are not obeyed ({@code --binary-mode}), nor is a LOAD DATA LOCAL that would read the broker's files.
     */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        MysqlAdmin admin = servers.admin(instance);
        String database = MysqlNames.database(instance.instanceId());
        String user = MysqlNames.restoreUser(instance.instanceId());
        String password = PolicyPasswords.generate();
        admin.onServer("making the instance's database anew", c -> {
            execute(c, "DROP DATABASE IF EXISTS `" + database + "`");
            execute(c, MysqlAdmin.createDatabase(database));
            MysqlAccounts.createOrReset(c, user, database, BindingAccess.READ_WRITE, RESTORE_LIMITS, password);
            return null;
        });
        LastBytes sql = new LastBytes(in, 256);
        try (MysqlLogin login = MysqlLogin.of(user, password)) {
            List<String> command = new ArrayList<>(List.of(
                    programs.find("mariadb", "mysql").toString(),
                    login.argument(),
                    "--binary-mode",
                    "--local-infile=0",
                    "--default-character-set=utf8mb4",
                    "--database=" + database));
            command.addAll(connection(admin));
            run("restoring the instance's database", admin, command, password).feedInputFrom(sql);
        } finally {
            admin.onServer("locking the restore's account", c -> {
                MysqlAccounts.revoke(c, user, database);
                return null;
            });
        }
        if (!sql.text()
                .strip()
                .lines()
                .reduce((first, second) -> second)
                .orElse("")
                .startsWith(LAST_LINE)) {
            throw new ProvisioningFailedException("restoring the instance's database failed: the backup ends before"
                    + " mariadb-dump's last line, so it was cut short; what it held up to there was loaded");
        }
    }

    /** Over TLS verifying the server, when it offers TLS. */
    private static List<String> connection(MysqlAdmin admin) {
        MysqlServer server = admin.server();
        List<String> options =
                new ArrayList<>(List.of("--protocol=TCP", "--host=" + server.host(), "--port=" + server.port()));
        if (server.tls().enabled()) {
            options.addAll(List.of(
                    "--ssl",
                    "--ssl-verify-server-cert",
                    "--ssl-ca=" + server.tls().caFile()));
        }
        return options;
    }

    private static ClientCommand run(String doing, MysqlAdmin admin, List<String> command, String password) {
        return new ClientCommand(
                doing,
                "MySQL server '" + admin.server().name() + "'",
                command,
                Map.of(),
                List.of(password),
                stderr -> UNREACHABLE.matcher(stderr).find(),
                ClientCommand.PROGRAM_TIMEOUT);
    }

    /** Passes a stream through and keeps its last bytes. */
    private static final class LastBytes extends FilterInputStream {

        private final byte[] kept;
        private int length;

        LastBytes(InputStream in, int size) {
            super(in);
            this.kept = new byte[size];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            int read = super.read(bytes, offset, count);
            if (read > 0) {
                int keep = Math.min(read, kept.length);
                int shift = Math.min(length, kept.length - keep);
                System.arraycopy(kept, length - shift, kept, 0, shift);
                System.arraycopy(bytes, offset + read - keep, kept, shift, keep);
                length = shift + keep;
            }
            return read;
        }

        String text() {
            return new String(Arrays.copyOf(kept, length), StandardCharsets.ISO_8859_1);
        }
    }
}
