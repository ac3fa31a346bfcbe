package io.paasbroker.provisioner;

/**
 * A change to another plan that the provisioner cannot carry out, such as a move of the instance's data to another
 * server; the broker answers 422 with the message before anything is recorded.
 */
public class PlanChangeRefusedException extends ProvisionerException {

    public PlanChangeRefusedException(String message) {
        super(message, null);
    }
}
