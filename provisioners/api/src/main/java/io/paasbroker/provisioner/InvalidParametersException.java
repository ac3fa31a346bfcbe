package io.paasbroker.provisioner;

/** Parameters the plan's schema accepts but the provisioner cannot honour; the broker answers 400 with the message. */
public class InvalidParametersException extends ProvisionerException {

    public InvalidParametersException(String message) {
        super(message, null);
    }
}
