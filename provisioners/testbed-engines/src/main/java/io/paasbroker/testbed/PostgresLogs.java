package io.paasbroker.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * What a cloud keeps of a managed PostgreSQL server for point-in-time restores, kept for real: a base backup of the server taken
 * once it is set up ({@code pg_basebackup}, in the background, so a server is not slower to make for it) and every
 * WAL segment since (the server archives each into a directory of its own). A restore copies the base backup and
 * replays the archived WAL up to the asked time, as PostgreSQL's own recovery does.
 */
final class PostgresLogs {

    private static final DateTimeFormatter RECOVERY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "managed-postgres-base-backup");
        thread.setDaemon(true);
        return thread;
    });

    private final Path archive;
    private final Path base;
    /** When the base backup ended: the earliest time a restore reaches back to; its failure, if it failed. */
    private volatile CompletableFuture<Instant> earliest =
            CompletableFuture.failedFuture(new IllegalStateException("no base backup was started"));

    private PostgresLogs(Path archive, Path base) {
        this.archive = archive;
        this.base = base;
    }

    /** The logs of the server in {@code directory}, kept beside it; those of an earlier server there are deleted. */
    static PostgresLogs beside(Path directory) {
        PostgresLogs logs = new PostgresLogs(
                directory.resolveSibling(directory.getFileName() + "-wal"),
                directory.resolveSibling(directory.getFileName() + "-base"));
        deleteTree(logs.archive);
        deleteTree(logs.base);
        try {
            Files.createDirectories(logs.archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the WAL archive " + logs.archive, e);
        }
        return logs;
    }

    /**
     * The server's {@code archive_command}: each finished WAL segment copied into the archive, never over one. The
     * test bed's paths have no spaces or quotes, so the command needs no quoting inside a setting's quotes.
     */
    String archiveCommand() {
        return "test ! -f " + archive + "/%f && cp %p " + archive + "/%f";
    }

    /**
     * Starts taking the base backup in the background, as the superuser over a replication connection; restores reach
     * back to its end. One that fails (the server stopped first) leaves the server with no point to restore to.
     */
    void startBaseBackup(int port, Map<String, String> superuserLogin) {
        earliest = CompletableFuture.supplyAsync(
                () -> {
                    takeBaseBackup(port, superuserLogin);
                    return Instant.now();
                },
                BACKGROUND);
    }

    private void takeBaseBackup(int port, Map<String, String> superuserLogin) {
        ClientPrograms.run(
                List.of(
                        ClientPrograms.find("pg_basebackup").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port),
                        "-U",
                        "postgres",
                        "-D",
                        base.toString(),
                        "-X",
                        "stream",
                        "-c",
                        "fast"),
                superuserLogin,
                "taking the base backup of a managed PostgreSQL server");
    }

    /** The earliest time a restore reaches back to, the end of the base backup; none while it is taken, or failed. */
    Optional<Instant> earliestRestorableTime() {
        return earliest.isDone() && !earliest.isCompletedExceptionally()
                ? Optional.of(earliest.join())
                : Optional.empty();
    }

    /** The same, once the base backup has ended; its failure if it failed. */
    Instant awaitEarliestRestorableTime() {
        return earliest.join();
    }

    /** Waits for the base backup being taken, if one is, to end, however it ends. */
    void awaitBaseBackup() {
        earliest.exceptionally(failure -> null).join();
    }

    /**
     * Writes into {@code directory} the base backup, set to recover from the archive up to {@code time} and then to
     * take writes (a new timeline) archived as {@code into} keeps them, with logins allowed without a password from
     * 127.0.0.1 until the caller sets its rules: the server is not yet anyone's.
     */
    void prepareRecovery(Path directory, Instant time, PostgresLogs into) {
        deleteTree(directory);
        copyTree(base, directory);
        try {
            Files.writeString(directory.resolve("recovery.signal"), "");
            Files.writeString(
                    directory.resolve("postgresql.auto.conf"),
                    "restore_command = 'cp " + archive + "/%f %p'\n"
                            + "recovery_target_time = '" + RECOVERY_TIME.format(time) + "'\n"
                            + "recovery_target_action = 'promote'\n"
                            + "archive_command = '" + into.archiveCommand() + "'\n",
                    StandardOpenOption.APPEND);
            Files.writeString(directory.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot set up the recovery of a managed PostgreSQL server in " + directory, e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                // with their permissions: PostgreSQL starts only on a data directory its owner alone may enter
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the base backup " + from, e);
        }
    }

    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
