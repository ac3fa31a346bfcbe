package io.paasbroker.provisioner.local.mysql;

import static io.paasbroker.provisioner.local.common.AdminPool.strings;
import static io.paasbroker.provisioner.local.mysql.MysqlAdmin.execute;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the admin's statements in one database that have waited longer than {@link MysqlServer#LOCK_TIMEOUT} for a
 * lock, while it is open. mariadb-dump can set no {@code lock_wait_timeout} of its own, so without this a tenant's
 * {@code LOCK TABLES ... WRITE} would hold its dump, and the worker running it, for as long as the tenant likes.
 */
final class LockWaitWatch implements AutoCloseable {

    private static final String WAITING = "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND DB = ?"
            + " AND COMMAND = 'Query' AND STATE LIKE 'Waiting for%lock%' AND TIME >= ?";
    private static final long EVERY_MS = 1000;

    private final ScheduledExecutorService checks;
    private final AtomicBoolean ended = new AtomicBoolean();

    private LockWaitWatch(ScheduledExecutorService checks) {
        this.checks = checks;
    }

    static LockWaitWatch over(MysqlAdmin admin, String database) {
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mysql-lock-wait-watch");
            thread.setDaemon(true);
            return thread;
        });
        LockWaitWatch watch = new LockWaitWatch(checks);
        String user = admin.server().adminUsername();
        String seconds = String.valueOf(MysqlServer.LOCK_TIMEOUT.toSeconds());
        checks.scheduleWithFixedDelay(
                () -> {
                    try {
                        admin.onServer("ending a statement stuck on a tenant's lock", c -> {
                            for (String id : strings(c, WAITING, user, database, seconds)) {
                                watch.ended.set(true); // before the kill, which the dump may meet at once
                                execute(c, "KILL QUERY " + Long.parseLong(id));
                            }
                            return null;
                        });
                    } catch (RuntimeException e) {
                        // the server is away: the dump meets that itself
                    }
                },
                EVERY_MS,
                EVERY_MS,
                TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Whether it ended a statement. */
    boolean endedAWait() {
        return ended.get();
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
