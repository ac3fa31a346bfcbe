package io.paasbroker.provisioner.local.postgres;

import static io.paasbroker.provisioner.local.common.AdminPool.strings;

import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.local.common.ClientCommand;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.common.ServerAdmins;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An instance's database as {@code pg_dump}'s custom format, and {@code pg_restore} of it into another instance's
 * database, where every restored object belongs to that instance's owner role, so all its bindings can use it. The
 * programs log in as a login of the instance made for the run, its password in {@code PGPASSWORD}.
 */
final class PostgresBackups implements InstanceBackups {

    static final String FORMAT = "pg_dump-custom/1";

    /** What pg_dump and pg_restore say when the server is down, starting, stopping or full. */
    private static final Pattern UNREACHABLE = Pattern.compile(
            "could not connect|connection to server .*failed|server closed the connection|no connection to the server"
                    + "|the database system is (starting up|shutting down)|too many clients|remaining connection slots",
            Pattern.CASE_INSENSITIVE);

    /** pg_dump waits for each table's lock under a statement timeout, and sets none otherwise. */
    private static final Pattern LOCK_WAIT_ENDED =
            Pattern.compile("canceling statement due to (lock|statement) timeout");

    /** The instance's own extensions: those its roles created (trusted ones), not those provisioning created. */
    private static final String TENANT_EXTENSIONS = "SELECT e.extname FROM pg_extension e"
            + " JOIN pg_roles r ON r.oid = e.extowner WHERE r.rolname = ? OR starts_with(r.rolname, ?) ORDER BY 1";

    private final ServerAdmins<PostgresAdmin> servers;
    private final ClientPrograms programs;

    PostgresBackups(ServerAdmins<PostgresAdmin> servers, ClientPrograms programs) {
        this.servers = servers;
        this.programs = programs;
    }

    /**
     * The {@code PATH} (Debian's {@code /usr/bin/pg_dump} runs the newest installed version), then the newest
     * {@code /usr/lib/postgresql/<version>/bin}. pg_dump must be at least as new as the server.
     */
    static ClientPrograms defaultPrograms() {
        List<Path> versions = new ArrayList<>();
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/postgresql"))) {
            installed
                    .filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt(PostgresBackups::version).reversed())
                    .forEach(dir -> versions.add(dir.resolve("bin")));
        } catch (IOException e) {
            // no Debian PostgreSQL packages here: the PATH it is
        }
        return ClientPrograms.onPathThen(versions);
    }

    private static int version(Path directory) {
        return Integer.parseInt(directory.getFileName().toString());
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Extensions are left out but the instance's own: the plan's were created by the admin when the instance was
     * provisioned, so they belong to the admin, which the new instance's owner can neither drop nor comment on; the
     * broker provisions the new instance with the same parameters, so it has them. pg_dump 15 cannot exclude
     * extensions, but naming some to include leaves out the others; plpgsql is always there, and being built in, is
     * never dumped itself. Naming them also leaves out what only a full dump holds and tenants cannot make or need
     * not keep (casts, publications), and large objects, which {@code --blobs} brings back. The admin's schema of
     * the plan's extensions stays out too.
     */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        PostgresAdmin admin = servers.admin(instance);
        String database = PostgresNames.database(instance.instanceId());
        List<String> ownExtensions = admin.inDatabase(
                database,
                "listing the instance's own extensions",
                c -> strings(
                        c,
                        TENANT_EXTENSIONS,
                        PostgresNames.ownerRole(instance.instanceId()),
                        PostgresNames.bindingRolePrefix(instance.instanceId())));
        List<String> command = new ArrayList<>(List.of(
                programs.find("pg_dump").toString(),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--blobs",
                "--role=" + PostgresNames.ownerRole(instance.instanceId()),
                "--lock-wait-timeout=" + PostgresServer.LOCK_TIMEOUT.toMillis(),
                "--exclude-schema=" + PostgresTenancy.EXTENSIONS_SCHEMA,
                "--extension=plpgsql"));
        // in double quotes a pattern is taken literally
        ownExtensions.forEach(name -> command.add("--extension=\"" + name.replace("\"", "\"\"") + "\""));
        asTenant(admin, instance.instanceId(), (login, password) -> {
            try {
                run("dumping the instance's database", admin, command, login, password, database)
                        .streamOutputTo(out);
            } catch (ProvisionerException e) {
                throw ServerFailures.explainLockWait(e, LOCK_WAIT_ENDED);
            }
        });
    }

    /**
     * In one transaction, so a restore that fails or is interrupted leaves the database as it was, and one run again
     * first drops what an earlier one made ({@code --clean}). Objects are created as the owner role
     * ({@code --role}), so they belong to the instance whichever binding comes later.
     */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        PostgresAdmin admin = servers.admin(instance);
        String database = PostgresNames.database(instance.instanceId());
        admin.inDatabase(database, "checking the instance's database", c -> null);
        List<String> command = List.of(
                programs.find("pg_restore").toString(),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--role=" + PostgresNames.ownerRole(instance.instanceId()),
                "--single-transaction");
        asTenant(
                admin,
                instance.instanceId(),
                (login, password) -> run("restoring the instance's database", admin, command, login, password, database)
                        .feedInputFrom(in));
    }

    /**
     * Runs a program as a login of the instance's own, made for this run and dropped after it: what the backup holds
     * or the database has (a check constraint, a trigger, an operator) runs with the tenant's rights, never with the
     * admin's, and the admin's password never goes to a program.
     */
    private static void asTenant(PostgresAdmin admin, String instanceId, BiConsumer<String, String> program) {
        String login = PostgresNames.programRole(instanceId);
        String password = Passwords.generate();
        PostgresLogins.create(admin, instanceId, login, PostgresNames.ownerRole(instanceId), false, password);
        RuntimeException failure = null;
        try {
            program.accept(login, password);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                PostgresLogins.drop(admin, instanceId, login);
            } catch (RuntimeException e) {
                // left, it cannot log in with a password anyone knows; deprovisioning drops it with the bindings'
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    throw e;
                }
            }
        }
    }

    private static ClientCommand run(
            String doing, PostgresAdmin admin, List<String> program, String login, String password, String database) {
        PostgresServer server = admin.server();
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(
                "--host=" + server.host(),
                "--port=" + server.port(),
                "--username=" + login,
                "--no-password",
                "--dbname=" + database));
        Map<String, String> environment = new HashMap<>(Map.of(
                "PGPASSWORD",
                password,
                "PGCONNECT_TIMEOUT",
                String.valueOf(Math.max(2, admin.server().connectTimeout().toSeconds())),
                "PGAPPNAME",
                "paasbroker",
                "PGOPTIONS",
                "-c lock_timeout=" + PostgresServer.LOCK_TIMEOUT.toMillis()));
        if (server.tls().enabled()) {
            environment.put("PGSSLMODE", "verify-full");
            environment.put("PGSSLROOTCERT", server.tls().caFile().toString());
        }
        return new ClientCommand(
                doing,
                "PostgreSQL server '" + admin.server().name() + "'",
                command,
                environment,
                List.of(password),
                stderr -> UNREACHABLE.matcher(stderr).find(),
                ClientCommand.PROGRAM_TIMEOUT);
    }
}
