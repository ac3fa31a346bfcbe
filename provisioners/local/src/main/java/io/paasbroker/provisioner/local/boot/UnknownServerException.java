package io.paasbroker.provisioner.local.boot;

/** No server the operator configured has that kind and name. */
public class UnknownServerException extends RuntimeException {

    public UnknownServerException(String message) {
        super(message);
    }
}
