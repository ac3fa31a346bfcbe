package io.paasbroker.broker.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.backup.BackupRecord.State;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.broker.state.InstanceRepository;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.ControllableProvisioner;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Backups through the broker's own S3 server, encrypted and checksummed, with the test provisioner's data: what is
 * restored is what was backed up, and a damaged or partial backup is never restored or offered.
 */
class BackupsIT extends BrokerIT {

    @Autowired
    Backups backups;

    @Autowired
    BackupStore store;

    @Autowired
    InstanceRepository instances;

    @Autowired
    DataSource dataSource;

    @Test
    void aBackupRestoresIntoAnotherInstanceExactly() {
        String source = provisioned();
        String target = provisioned();

        BackupRecord backup = backups.backUp(subject(source, Map.of()), Kind.ON_DEMAND, Duration.ofDays(1), null, "id");

        assertThat(backup.state()).isEqualTo(State.COMPLETED);
        assertThat(backup.sizeBytes()).isGreaterThan((long) ControllableProvisioner.data(source).length);
        assertThat(backup.sha256()).hasSize(64);
        assertThat(backup.expiresAt()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(backups.of(source)).extracting(BackupRecord::id).containsExactly(backup.id());

        backups.restore(backup, fake, request(target, Map.of()));

        assertThat(fake.restored(target)).hasValue(ControllableProvisioner.data(source));
    }

    @Test
    void aPlanWhoseProvisionerKeepsSnapshotsOnlyForOtherPlansIsStreamed() {
        String source = provisioned();
        ServiceProvisioner snapshotsForOtherPlans = new ControllableProvisioner() {
            @Override
            public Optional<InstanceSnapshots> snapshots() {
                return Optional.of(new InstanceSnapshots() {
                    @Override
                    public String format() {
                        return "other-plans-snapshot/1";
                    }

                    @Override
                    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
                        throw new AssertionError("a snapshot of a plan without snapshots");
                    }

                    @Override
                    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
                        throw new AssertionError("a snapshot of a plan without snapshots");
                    }

                    @Override
                    public void deleteSnapshot(String name) {}

                    @Override
                    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
                        throw new AssertionError("a snapshot of a plan without snapshots");
                    }
                });
            }

            @Override
            public Optional<InstanceSnapshots> snapshots(Plan plan) {
                return Optional.empty();
            }
        };

        BackupRecord backup = backups.backUp(
                new Backups.Subject(
                        instances.find(source).orElseThrow(), request(source, Map.of()), snapshotsForOtherPlans),
                Kind.ON_DEMAND,
                null,
                null,
                null);

        assertThat(backup.state()).isEqualTo(State.COMPLETED);
        assertThat(backup.storage()).isEqualTo(BackupRecord.Storage.STREAM);
    }

    @Test
    void aDamagedBackupObjectIsDetectedBeforeAnythingIsRestored() throws IOException {
        String source = provisioned();
        String target = provisioned();
        BackupRecord backup = backups.backUp(subject(source, Map.of()), Kind.ON_DEMAND, null, null, null);
        Path object = Files.createTempFile("backup", ".pbbk");
        try {
            store.get(backup.objectKey(), object);
            byte[] bytes = Files.readAllBytes(object);
            bytes[bytes.length / 2] ^= 1;
            Files.write(object, bytes);
            store.put(backup.objectKey(), object);
        } finally {
            Files.deleteIfExists(object);
        }

        assertThatThrownBy(() -> backups.restore(backup, fake, request(target, Map.of())))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("damaged")
                .hasMessageContaining("nothing was restored");
        assertThat(fake.restored(target)).isEmpty();
    }

    @Test
    void aBackupThatFailsHalfWayIsRecordedAsFailedAndLeavesNoObject() {
        String source = provisioned();

        assertThatThrownBy(() ->
                        backups.backUp(subject(source, Map.of("behaviour", "fail")), Kind.ON_DEMAND, null, null, null))
                .hasMessageContaining("went away mid-backup");

        assertThat(backups.of(source)).singleElement().satisfies(failed -> {
            assertThat(failed.state()).isEqualTo(State.FAILED);
            assertThat(failed.description()).contains("went away mid-backup");
            assertThat(failed.sha256()).isNull();
            assertThatThrownBy(() -> store.get(failed.objectKey(), Files.createTempFile("gone", ".pbbk")))
                    .isInstanceOf(BackupStoreException.class);
        });
    }

    @Test
    void aBackupLeftRunningByACrashIsMarkedFailedByTheNextOne() {
        String source = provisioned();
        jdbc.sql("INSERT INTO backups (id, instance_id, service_id, plan_id, kind, state, format, object_key)"
                        + " VALUES ('cut-short', ?, ?, ?, 'scheduled', 'running', 'fake/1', 'instances/x/cut-short')")
                .params(source, FAKE_SERVICE, FAKE_PLAN)
                .update();

        backups.backUp(subject(source, Map.of()), Kind.ON_DEMAND, null, null, null);

        assertThat(backups.of(source))
                .filteredOn(b -> b.id().equals("cut-short"))
                .singleElement()
                .satisfies(b -> {
                    assertThat(b.state()).isEqualTo(State.FAILED);
                    assertThat(b.description()).contains("interrupted");
                });
    }

    @Test
    void aBackupRunningOnAnotherReplicaIsNeitherDisturbedNorDoubled() {
        String source = provisioned();
        String elsewhere = newId();
        jdbc.sql("INSERT INTO backups (id, instance_id, service_id, plan_id, kind, state, format, object_key)"
                        + " VALUES (?, ?, ?, ?, 'scheduled', 'running', 'fake/1', 'instances/x/elsewhere')")
                .params(elsewhere, source, FAKE_SERVICE, FAKE_PLAN)
                .update();

        try (AdvisoryLock.Held otherReplica =
                new AdvisoryLock(dataSource).tryAcquire("backup of " + source).orElseThrow()) {
            assertThatThrownBy(() -> backups.backUp(subject(source, Map.of()), Kind.ON_DEMAND, null, null, null))
                    .isInstanceOf(BackingServiceUnavailableException.class)
                    .hasMessageContaining("another backup of this instance is running");
        }

        assertThat(backups.of(source)).singleElement().satisfies(b -> {
            assertThat(b.id()).isEqualTo(elsewhere);
            assertThat(b.state()).isEqualTo(State.RUNNING);
        });
    }

    @Test
    void aBackupOfAnotherFormatIsRefused() {
        String source = provisioned();
        BackupRecord backup = backups.backUp(subject(source, Map.of()), Kind.ON_DEMAND, null, null, null);
        BackupRecord otherFormat = new BackupRecord(
                backup.id(),
                backup.instanceId(),
                backup.serviceId(),
                backup.planId(),
                backup.kind(),
                backup.state(),
                backup.description(),
                "pg_dump-custom/1",
                backup.storage(),
                backup.objectKey(),
                backup.sizeBytes(),
                backup.sha256(),
                null,
                null,
                null,
                null,
                null,
                null,
                backup.startedAt(),
                backup.finishedAt(),
                backup.expiresAt());

        assertThatThrownBy(() -> backups.restore(otherFormat, fake, request(provisioned(), Map.of())))
                .hasMessageContaining("pg_dump-custom/1");
    }

    @Test
    void expiredBackupsAreDeletedAndOthersKept() {
        String source = provisioned();
        BackupRecord expiring =
                backups.backUp(subject(source, Map.of()), Kind.SCHEDULED, Duration.ofMillis(1), null, null);
        BackupRecord kept = backups.backUp(subject(source, Map.of()), Kind.SCHEDULED, Duration.ofDays(7), null, null);
        sleep(10);

        backups.deleteExpired();

        assertThat(backups.of(source)).extracting(BackupRecord::id).containsExactly(kept.id());
        assertThatThrownBy(() -> store.get(expiring.objectKey(), Files.createTempFile("gone", ".pbbk")))
                .isInstanceOf(BackupStoreException.class);
    }

    @Test
    void operatorsListReadAndDeleteBackupsAndPlatformsCannot() {
        String source = provisioned();
        BackupRecord backup = backups.backUp(subject(source, Map.of()), Kind.ON_DEMAND, null, null, null);
        OsbClient operator = osb.as(OPERATOR, OPERATOR_PASSWORD);

        OsbClient.Response listed = operator.get("/admin/instances/" + source + "/backups");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("backups").get(0).get("id").asText()).isEqualTo(backup.id());
        assertThat(listed.body().get("backups").get(0).get("sha256").asText()).isEqualTo(backup.sha256());
        assertThat(listed.body().get("backups").get(0).has("object_key")).isFalse();
        assertThat(osb.get("/admin/instances/" + source + "/backups").status()).isEqualTo(403);
        assertThat(osb.delete("/admin/backups/" + backup.id()).status()).isEqualTo(403);

        assertThat(operator.delete("/admin/backups/" + backup.id()).status()).isEqualTo(200);

        assertThat(operator.get("/admin/backups/" + backup.id()).status()).isEqualTo(404);
        assertThat(operator.delete("/admin/backups/" + backup.id()).status()).isEqualTo(404);
        assertThatThrownBy(() -> store.get(backup.objectKey(), Files.createTempFile("gone", ".pbbk")))
                .isInstanceOf(BackupStoreException.class);
    }

    private String provisioned() {
        String id = newId();
        assertThat(osb.put(instancePath(id), fakeProvision("ok")).status()).isEqualTo(201);
        return id;
    }

    private Backups.Subject subject(String instanceId, Map<String, Object> parameters) {
        InstanceRecord instance = instances.find(instanceId).orElseThrow();
        return new Backups.Subject(instance, request(instanceId, parameters), fake);
    }

    private static InstanceRequest request(String instanceId, Map<String, Object> parameters) {
        return new InstanceRequest(instanceId, null, parameters, Map.of(), Map.of());
    }
}
