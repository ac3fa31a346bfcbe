package io.paasbroker.provisioner;

/**
 * A step failed. The message is shown to the platform's users, so it says what happened and what to do, and never
 * holds a secret.
 */
public abstract class ProvisionerException extends RuntimeException {

    protected ProvisionerException(String message, Throwable cause) {
        super(message, cause);
    }
}
