package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.JdbcTenantSession;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.StepOutcome;
import java.time.Instant;
import java.util.Map;

/**
 * The provisioner contract of the RDS provisioner, for each engine, wherever its RDS is (the test bed's fake, or AWS):
 * an application connects with its binding's {@code jdbcUrl} alone, over verified TLS.
 */
abstract class RdsContract extends ServiceProvisionerContract {

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return JdbcTenantSession.open(credentials);
    }

    static String text(Credentials credentials, String key) {
        return JdbcTenantSession.text(credentials, key);
    }

    /** What a point-in-time restore's scenario leaves to check: the source, its copy, and the moment restored to. */
    interface RestoredCopy {
        void check(String source, InstanceRequest copy, Instant moment) throws Exception;
    }

    /**
     * An instance written to before and after a moment, restored to that moment into a new instance of the plan: the
     * copy's binding reads what was written before, the source's what was written after; {@code more} checks the rest,
     * then the copy is deleted. The moment is more than a second from either write, as RDS restores MySQL to the second.
     */
    protected final void restoredToAMoment(RestoredCopy more) throws Exception {
        ServiceProvisioner provisioner = provisioner();
        String source = provision();
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "before the moment");
        Thread.sleep(1_100);
        Instant moment = Instant.now();
        Thread.sleep(1_100);
        writeThenRead(sourceBinding, "after the moment");

        InstanceRequest copy = new InstanceRequest(newId(), plan(), Map.of(), Map.of("space_guid", "s"), Map.of());
        StepOutcome.Completed restored = RdsTestBed.completed(
                provisioner.pointInTimeRestore().orElseThrow().restore(copy, request(source), moment),
                ref -> provisioner.poll(copy, ref));
        InstanceRequest made =
                new InstanceRequest(copy.instanceId(), plan(), Map.of(), copy.labels(), restored.outputs());
        try {
            Credentials copyBinding = provisioner.bind(new BindRequest(made, newId(), Map.of()));

            assertThat(read(copyBinding)).as("the copy's data").isEqualTo("before the moment");
            assertThat(read(sourceBinding)).as("the source's").isEqualTo("after the moment");
            more.check(source, made, moment);
        } finally {
            RdsTestBed.completed(provisioner.deprovision(made), ref -> provisioner.poll(made, ref));
        }
    }
}
