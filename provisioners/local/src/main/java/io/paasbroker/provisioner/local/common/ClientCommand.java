package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One run of a server's command-line client (a dump or a restore program) whose data goes through a pipe: its stdout
 * streamed to the caller, or the caller's stream fed to its stdin, never held whole. Its stderr is kept (the first
 * few KB) for the failure's message. Secrets travel in {@code environment} or files, never in {@code command}; the
 * message leaves out {@code secrets} should the program echo one.
 *
 * @param doing what the run is for, in a failure's message: {@code dumping the instance's database}
 * @param server how failures name the server: {@code PostgreSQL server 'shared'}
 * @param mayPass whether the program's stderr says the server could not be reached, so that trying again may help
 * @param timeout how long the program may run before it is killed and the run fails, so a program stuck on a tenant's
 *     lock or a silent server never holds a worker, the instance's operation or the server's rotation lock for good
 */
public record ClientCommand(
        String doing,
        String server,
        List<String> command,
        Map<String, String> environment,
        List<String> secrets,
        Predicate<String> mayPass,
        Duration timeout) {

    /** What backups and restores get: long enough for a large database, short of forever. */
    public static final Duration PROGRAM_TIMEOUT = Duration.ofHours(6);

    private static final int STDERR_KEPT = 8 * 1024;
    private static final int REASON_LENGTH = 300;

    public ClientCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        secrets = List.copyOf(secrets);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a client program needs a positive timeout");
        }
    }

    /** Runs the program with its stdout copied to {@code out}, which is not closed. */
    public void streamOutputTo(OutputStream out) {
        run(ProcessBuilder.Redirect.PIPE, process -> {
            process.getOutputStream().close();
            try (InputStream stdout = process.getInputStream()) {
                copy(stdout, out, Side.SOURCE_IS_PROGRAM);
            }
        });
    }

    /** Runs the program with {@code in} copied to its stdin, which is closed at the end of {@code in}. */
    public void feedInputFrom(InputStream in) {
        run(ProcessBuilder.Redirect.DISCARD, process -> {
            try (OutputStream stdin = process.getOutputStream()) {
                copy(in, stdin, Side.SINK_IS_PROGRAM);
            }
        });
    }

    private interface Pump {
        void run(Process process) throws IOException;
    }

    private void run(ProcessBuilder.Redirect stdout, Pump pump) {
        Process process = start(stdout);
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
                () -> {
                    if (process.isAlive()) {
                        timedOut.set(true);
                        process.destroyForcibly();
                    }
                },
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread stderrReader = readStderr(process, stderr);
        try {
            try {
                pump.run(process);
            } catch (IOException e) {
                // the program's end of the pipe failed (it stopped, most likely): its exit status and stderr say why
            }
            int status = process.waitFor();
            stderrReader.join();
            if (timedOut.get()) {
                throw new ProvisioningFailedException(doing + " on " + server + " failed: " + command.get(0)
                        + " ran longer than " + readable(timeout) + " and was stopped");
            }
            if (status != 0) {
                throw failure(status, stderr.toString(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException(doing + " on " + server + " was interrupted", e);
        } finally {
            watchdog.cancel(false);
            process.destroyForcibly();
        }
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private Process start(ProcessBuilder.Redirect stdout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout);
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProvisioningFailedException(doing + " on " + server + " failed: cannot run " + command.get(0)
                    + ": " + ServerFailures.rootReason(e));
        }
    }

    private enum Side {
        SOURCE_IS_PROGRAM,
        SINK_IS_PROGRAM
    }

    /**
     * Copies until the end of {@code from}. An IOException of the program's side is thrown for the caller to read the
     * exit status; one of the caller's stream is the backup's failure, not the server's.
     */
    private void copy(InputStream from, OutputStream to, Side program) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int read;
            try {
                read = from.read(buffer);
            } catch (IOException e) {
                if (program == Side.SOURCE_IS_PROGRAM) {
                    throw e;
                }
                throw new ProvisioningFailedException(doing + " failed: reading the backup: " + e.getMessage(), e);
            }
            if (read < 0) {
                return;
            }
            try {
                to.write(buffer, 0, read);
            } catch (IOException e) {
                if (program == Side.SINK_IS_PROGRAM) {
                    throw e;
                }
                throw new ProvisioningFailedException(doing + " failed: writing the backup: " + e.getMessage(), e);
            }
        }
    }

    /** Keeps the first {@link #STDERR_KEPT} bytes and drains the rest, so a chatty program never blocks on a full pipe. */
    private static Thread readStderr(Process process, ByteArrayOutputStream kept) {
        Thread reader = new Thread(
                () -> {
                    byte[] buffer = new byte[4096];
                    try (InputStream stderr = process.getErrorStream()) {
                        for (int n; (n = stderr.read(buffer)) >= 0; ) {
                            synchronized (kept) {
                                kept.write(buffer, 0, Math.max(0, Math.min(n, STDERR_KEPT - kept.size())));
                            }
                        }
                    } catch (IOException e) {
                        // the process is gone; what was read is what there is
                    }
                },
                "client-stderr");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private ProvisionerException failure(int status, String stderr) {
        String reason = stderr.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("error"))
                .findFirst()
                .or(() -> stderr.lines().filter(line -> !line.isBlank()).findFirst())
                .orElse("exit status " + status)
                .strip();
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                reason = reason.replace(secret, "******");
            }
        }
        if (reason.length() > REASON_LENGTH) {
            reason = reason.substring(0, REASON_LENGTH) + "...";
        }
        return ServerFailures.failure(doing, server, command.get(0) + ": " + reason, mayPass.test(stderr), null);
    }
}
