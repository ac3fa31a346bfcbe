package io.paasbroker.provisioner;

/** The step cannot succeed as asked; retrying the same request will not help. */
public class ProvisioningFailedException extends ProvisionerException {

    public ProvisioningFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProvisioningFailedException(String message) {
        super(message, null);
    }
}
