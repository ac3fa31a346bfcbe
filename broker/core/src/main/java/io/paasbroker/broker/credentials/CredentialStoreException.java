package io.paasbroker.broker.credentials;

/** The credential store could not be read or written. The message names the ref, never a secret. */
public class CredentialStoreException extends RuntimeException {

    public CredentialStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public CredentialStoreException(String message) {
        super(message);
    }
}
