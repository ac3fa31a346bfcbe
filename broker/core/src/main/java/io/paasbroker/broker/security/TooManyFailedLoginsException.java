package io.paasbroker.broker.security;

import org.springframework.security.core.AuthenticationException;

/** A client that failed to log in too often lately: refused without a check, answered 429. */
public class TooManyFailedLoginsException extends AuthenticationException {

    private final long retryAfterSeconds;

    public TooManyFailedLoginsException(long retryAfterSeconds) {
        super("too many failed logins from this address; try again in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
