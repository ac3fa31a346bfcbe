package io.paasbroker.broker.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.backup.Backups;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A replica that lost its lease while a step ran goes on with no further step and records nothing. */
class LeaseFencingIT extends BrokerIT {

    @Autowired
    Backups backups;

    @Autowired
    LeaseKeeper leases;

    @Test
    void aReplicaWhoseOperationWasTakenOverStopsBeforeItsNextStepAndTheNewHolderFinishesItOnce() {
        String source = newId();
        osb.put(instancePath(source), fakeProvision("ok"));
        osb.patch(
                instancePath(source),
                Map.of(
                        "service_id",
                        FAKE_SERVICE,
                        "plan_id",
                        FAKE_PLAN,
                        "parameters",
                        Map.of(BackupParameters.BACKUP, "now")));
        String backupId = backups.of(source).get(0).id();
        String copy = newId();
        OsbClient.Response accepted = osb.put(
                instancePath(copy) + "?accepts_incomplete=true",
                provision(
                        FAKE_SERVICE,
                        FAKE_PLAN,
                        Map.of("behaviour", "block", BackupParameters.RESTORE_FROM_BACKUP, backupId)));
        assertThat(accepted.status()).isEqualTo(202);
        String operation = accepted.text("operation");
        await(() -> fake.calls("provision", copy) == 1, "the provision step to start");

        // the lease ran out while the step ran, and another replica claimed the operation
        jdbc.sql("UPDATE operations SET lease_owner = 'another-replica', lease_expires_at = now() + interval '1 hour'"
                        + " WHERE instance_id = ? AND state = 'in progress'")
                .param(copy)
                .update();
        leases.renew();
        fake.release(copy);
        await(() -> !leases.runs(operation), "this replica to drop the operation");

        assertThat(fake.restored(copy).isPresent())
                .as("restored by the replica that lost the lease")
                .isFalse();
        assertThat(leaseOwner(copy)).isEqualTo("another-replica");
        assertThat(osb.get(instancePath(copy) + "/last_operation").text("state"))
                .isEqualTo("in progress");

        // the other replica "dies": its lease runs out, and a replica claims the operation and runs it to its end
        jdbc.sql("UPDATE operations SET lease_expires_at = now() - interval '1 second' WHERE instance_id = ?")
                .param(copy)
                .update();
        OsbClient.Response done = awaitOperation(instancePath(copy) + "/last_operation");
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(fake.restored(copy)).isPresent();
    }

    private String leaseOwner(String instanceId) {
        return jdbc.sql("SELECT lease_owner FROM operations WHERE instance_id = ? AND type = 'provision'")
                .param(instanceId)
                .query(String.class)
                .single();
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            sleep(20);
        }
    }
}
