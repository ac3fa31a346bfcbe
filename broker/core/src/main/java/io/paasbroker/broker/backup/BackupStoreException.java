package io.paasbroker.broker.backup;

/** The backup store could not be reached or refused; the message names the object and the store, no secret. */
public class BackupStoreException extends RuntimeException {

    public BackupStoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    public BackupStoreException(String message) {
        super(message);
    }
}
