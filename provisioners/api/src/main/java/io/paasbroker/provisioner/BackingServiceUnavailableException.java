package io.paasbroker.provisioner;

/** The backing server did not answer or refused for a reason that may pass: the step is worth retrying. */
public class BackingServiceUnavailableException extends ProvisionerException {

    public BackingServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
