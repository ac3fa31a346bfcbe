package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.aws.AwsCalls;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;

/**
 * A call on a replication group that ElastiCache takes only while the group is available. ElastiCache refusing it
 * for the group's state ({@code InvalidReplicationGroupState}) is a reason to run the step again, not a failure: the
 * group may be busy with its snapshot, or with the very change an earlier attempt made whose answer was lost.
 */
final class CacheCalls {

    private CacheCalls() {}

    static <T> T whenAvailable(String doing, Supplier<T> call) {
        try {
            return AwsCalls.call(doing, call);
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof InvalidReplicationGroupStateException busy) {
                throw new BackingServiceUnavailableException(
                        doing + ": the replication group is busy (" + AwsCalls.reason(busy) + "); tried again later",
                        e);
            }
            throw e;
        }
    }
}
