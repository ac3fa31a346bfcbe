package io.paasbroker.broker.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.backup.Backups;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A replica that lost its lease while a step ran goes on with no further step and records nothing. Each test
 * provisions an instance from a backup whose provision step waits for the test: the restore is the step after it.
 */
@TestPropertySource(properties = "paasbroker.operations.lease=2s")
class LeaseFencingIT extends BrokerIT {

    private static final Duration LEASE = Duration.ofSeconds(2);

    @Autowired
    Backups backups;

    @Autowired
    LeaseKeeper leases;

    @Autowired
    DataSource stateStore;

    @Test
    void aReplicaWhoseOperationWasTakenOverStopsBeforeItsNextStepAndTheNewHolderFinishesItOnce() {
        String copy = newId();
        String operation = provisionFromABackupStoppedInItsFirstStep(copy);

        // the lease ran out while the step ran, and another replica claimed the operation
        jdbc.sql("UPDATE operations SET lease_owner = 'another-replica', lease_expires_at = now() + interval '1 hour'"
                        + " WHERE id = ?")
                .param(operation)
                .update();
        leases.renew();
        assertTheStepGoesNoFurtherOnceReleased(copy, operation);
        assertThat(osb.get(instancePath(copy) + "/last_operation").text("state"))
                .isEqualTo("in progress");

        // the other replica "dies": its lease runs out, and a replica claims the operation and runs it to its end
        jdbc.sql("UPDATE operations SET lease_expires_at = now() - interval '1 second' WHERE id = ?")
                .param(operation)
                .update();
        OsbClient.Response done = awaitOperation(instancePath(copy) + "/last_operation");
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(fake.restored(copy)).isPresent();
    }

    @Test
    void aReplicaWhoseStateStoreStatementsStallPastItsLeaseStopsBeforeItsNextStep() throws Exception {
        String copy = newId();
        String operation = provisionFromABackupStoppedInItsFirstStep(copy);

        try (Connection otherReplica = stateStore.getConnection()) {
            otherReplica.setAutoCommit(false);
            // the operation's row locked: this replica's renewals wait, as on a stalled connection, past the lease
            execute(otherReplica, "SELECT 1 FROM operations WHERE id = ? FOR UPDATE", operation);
            Thread.sleep(LEASE.plusMillis(500).toMillis());
            execute(
                    otherReplica,
                    "UPDATE operations SET lease_owner = 'another-replica',"
                            + " lease_expires_at = now() + interval '1 hour' WHERE id = ?",
                    operation);
            otherReplica.commit();
        }
        assertTheStepGoesNoFurtherOnceReleased(copy, operation);
    }

    /** Lets the first step end: this replica drops the operation without restoring, and the other keeps it. */
    private void assertTheStepGoesNoFurtherOnceReleased(String copy, String operation) {
        fake.release(copy);
        await(() -> !leases.runs(operation), "this replica to drop the operation");

        assertThat(fake.restored(copy).isPresent())
                .as("restored by the replica that lost the lease")
                .isFalse();
        assertThat(leaseOwner(operation)).isEqualTo("another-replica");
    }

    /** Starts the provision of {@code copy} from a backup; returns its operation once its first step waits. */
    private String provisionFromABackupStoppedInItsFirstStep(String copy) {
        String source = newId();
        osb.put(instancePath(source), fakeProvision("ok"));
        backUpNow(source);
        String backupId = backups.of(source).get(0).id();
        OsbClient.Response accepted = osb.put(
                instancePath(copy) + "?accepts_incomplete=true",
                provision(
                        FAKE_SERVICE,
                        FAKE_PLAN,
                        Map.of("behaviour", "block", BackupParameters.RESTORE_FROM_BACKUP, backupId)));
        assertThat(accepted.status()).isEqualTo(202);
        await(() -> fake.calls("provision", copy) == 1, "the provision step to start");
        return accepted.text("operation");
    }

    private String leaseOwner(String operation) {
        return jdbc.sql("SELECT lease_owner FROM operations WHERE id = ?")
                .param(operation)
                .query(String.class)
                .single();
    }

    private static void execute(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            statement.execute();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            sleep(20);
        }
    }
}
