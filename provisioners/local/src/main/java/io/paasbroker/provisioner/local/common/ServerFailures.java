package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.regex.Pattern;

/** What an admin throws when a server fails it: one message shape, and whether trying again may help. */
public final class ServerFailures {

    private ServerFailures() {}

    /**
     * The first line of the innermost cause's message: a client's own words ("request timed out") hide the server's
     * reason ("Connection refused").
     */
    public static String rootReason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? "no message" : message.lines().findFirst().orElse("");
    }

    /**
     * {@code <doing> on <server> failed: <reason>}; unavailable when it may pass, otherwise a failure the same
     * request would meet again.
     *
     * @param server how the server is named: {@code PostgreSQL server 'shared'}
     */
    public static ProvisionerException failure(
            String doing, String server, String reason, boolean mayPass, Throwable cause) {
        String message = doing + " on " + server + " failed: " + reason;
        return mayPass
                ? new BackingServiceUnavailableException(message, cause)
                : new ProvisioningFailedException(message, cause);
    }

    /**
     * A dump that gave up waiting for a lock, told as what the tenant can do about it: one of the instance's own
     * sessions holds the lock; {@code e} itself when {@code lockWaitEnded} does not match its message.
     */
    public static ProvisionerException explainLockWait(ProvisionerException e, Pattern lockWaitEnded) {
        if (!lockWaitEnded.matcher(String.valueOf(e.getMessage())).find()) {
            return e;
        }
        return new ProvisioningFailedException(
                e.getMessage() + ": a transaction of the instance holds a lock on one of its tables (LOCK TABLE, ALTER"
                        + " TABLE, ...); end it and back up again",
                e);
    }
}
