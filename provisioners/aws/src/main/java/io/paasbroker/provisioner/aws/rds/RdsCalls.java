package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.aws.AwsCalls;
import java.util.function.Supplier;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * A call on an RDS instance that RDS takes only while the instance is available. RDS refusing it for the instance's
 * state ({@code InvalidDBInstanceState}) is a reason to run the step again, not a failure: the instance may be busy
 * with its nightly backup, or with the very change an earlier attempt made whose answer was lost.
 */
final class RdsCalls {

    private RdsCalls() {}

    static <T> T whenAvailable(String doing, Supplier<T> call) {
        try {
            return AwsCalls.call(doing, call);
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof InvalidDbInstanceStateException busy) {
                throw new BackingServiceUnavailableException(
                        doing + ": the RDS instance is busy (" + AwsCalls.reason(busy) + "); tried again later", e);
            }
            throw e;
        }
    }
}
