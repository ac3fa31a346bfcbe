package io.paasbroker.provisioner;

/**
 * A deletion the provisioner refuses having changed nothing, for a reason the instance's owner can remove (a bucket
 * that still holds objects): the instance stays usable. Thrown by {@link ServiceProvisioner#checkDeprovision}, the
 * broker answers 422 before anything is recorded; thrown by a deprovision step, the instance is left as it was.
 */
public class DeprovisionRefusedException extends ProvisioningFailedException {

    public DeprovisionRefusedException(String message) {
        super(message);
    }
}
