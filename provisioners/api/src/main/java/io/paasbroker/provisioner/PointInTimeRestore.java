package io.paasbroker.provisioner;

import io.paasbroker.catalog.Plan;
import java.time.Duration;
import java.time.Instant;

/**
 * A new instance made from another instance's data as it was at a moment, for a provisioner whose provider keeps the
 * logs for it (RDS, Flexible Server): no backup of the broker's is involved.
 */
public interface PointInTimeRestore {

    /** How far back from now a restore into {@code plan} may reach: what the provider keeps of its logs for it. */
    Duration window(Plan plan);

    /**
     * Starts making the new instance {@code into} from {@code source}'s data as it was at {@code time}: its provision
     * step. What it leaves in progress is read with {@link ServiceProvisioner#poll}, like any provision.
     */
    StepOutcome restore(InstanceRequest into, InstanceRequest source, Instant time);
}
