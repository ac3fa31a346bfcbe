package io.paasbroker.broker.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.ControllableProvisioner;
import io.paasbroker.broker.support.OsbClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What platforms and app teams do with backups through the OSB API: ask for one with an update, see them on the
 * instance, restore one into a new instance of the same organization and space, and nowhere else.
 */
class BackupThroughOsbIT extends BrokerIT {

    private static final String BACKED_UP = "fake-backed-up";
    /** A plan of the same service that the other provisioner serves. */
    private static final String ELSEWHERE = "fake-elsewhere";

    @Autowired
    Backups backups;

    @Test
    void anUpdateAsksForABackupWhichTheInstanceThenShows() {
        String source = provisioned(FAKE_PLAN, Map.of());

        OsbClient.Response updated = osb.patch(instancePath(source), backupNow());

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode shown = osb.get(instancePath(source)).body().get("parameters").get("backups");
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).get("kind").asText()).isEqualTo("on-demand");
        assertThat(shown.get(0).get("state").asText()).isEqualTo("completed");
        assertThat(shown.get(0).get("expires_at").isNull()).isFalse();
    }

    @Test
    void anAsynchronousBackupIsPolledToItsEnd() {
        String source = provisioned(FAKE_PLAN, Map.of());

        OsbClient.Response accepted = osb.patch(instancePath(source) + "?accepts_incomplete=true", backupNow());

        assertThat(accepted.status()).isEqualTo(202);
        OsbClient.Response done = awaitOperation(instancePath(source) + "/last_operation");
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(done.text("description")).startsWith("backed up: backup ");
    }

    @Test
    void aNewInstanceRestoresABackupByIdOrTheLatestOfAnInstance() {
        String source = provisioned(FAKE_PLAN, Map.of());
        osb.patch(instancePath(source), backupNow());
        String backupId = backups.of(source).get(0).id();

        String byId = provisioned(FAKE_PLAN, Map.of(BackupParameters.RESTORE_FROM_BACKUP, backupId));
        String latest = provisioned(FAKE_PLAN, Map.of(BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF, source));

        assertThat(fake.restored(byId)).hasValue(ControllableProvisioner.data(source));
        assertThat(fake.restored(latest)).hasValue(ControllableProvisioner.data(source));
        assertThat(osb.get(instancePath(byId) + "/last_operation").text("description"))
                .isEqualTo("created from backup " + backupId);
    }

    @Test
    void aBackupIsNotRestoredInAnotherSpaceNorForAnotherService() {
        String source = provisioned(FAKE_PLAN, Map.of());
        osb.patch(instancePath(source), backupNow());
        String backupId = backups.of(source).get(0).id();

        Map<String, Object> elsewhere =
                provision(FAKE_SERVICE, FAKE_PLAN, Map.of(BackupParameters.RESTORE_FROM_BACKUP, backupId));
        elsewhere.put("space_guid", "space-2");
        elsewhere.put(
                "context", Map.of("platform", "cloudfoundry", "organization_guid", "org-1", "space_guid", "space-2"));
        OsbClient.Response otherSpace = osb.put(instancePath(newId()), elsewhere);
        OsbClient.Response otherService = osb.put(
                instancePath(newId()),
                provision(PG_SERVICE, PG_SMALL, Map.of(BackupParameters.RESTORE_FROM_BACKUP, backupId)));
        OsbClient.Response unknown = osb.put(
                instancePath(newId()),
                provision(FAKE_SERVICE, FAKE_PLAN, Map.of(BackupParameters.RESTORE_FROM_BACKUP, "no-such-backup")));

        elsewhere.put(
                "parameters",
                Map.of(
                        BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF,
                        source,
                        BackupParameters.RESTORE_BEFORE,
                        "2999-01-01T00:00:00Z"));
        OsbClient.Response latestInOtherSpace = osb.put(instancePath(newId()), elsewhere);
        elsewhere.put(
                "parameters",
                Map.of(
                        BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF,
                        "no-such-instance",
                        BackupParameters.RESTORE_BEFORE,
                        "2999-01-01T00:00:00Z"));
        OsbClient.Response latestOfUnknown = osb.put(instancePath(newId()), elsewhere);

        for (OsbClient.Response refused :
                new OsbClient.Response[] {otherSpace, otherService, unknown, latestInOtherSpace, latestOfUnknown}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.text("description")).contains("organization and space");
        }
        // another tenant's backup reads exactly as one that does not exist, and its id is not told
        assertThat(otherSpace.text("description").replace(backupId, "<asked>"))
                .isEqualTo(unknown.text("description").replace("no-such-backup", "<asked>"));
        assertThat(latestInOtherSpace.text("description").replace(source, "<asked>"))
                .isEqualTo(latestOfUnknown.text("description").replace("no-such-instance", "<asked>"))
                .doesNotContain(backupId);
    }

    /** On Kubernetes, OSB's organization_guid is the cluster: the same namespace in another cluster is elsewhere. */
    @Test
    void onKubernetesABackupIsRestoredInItsNamespaceOfItsClusterOnly() {
        String source = newId();
        assertThat(osb.put(instancePath(source), inKubernetes("cluster-1", Map.of()))
                        .status())
                .isEqualTo(201);
        osb.patch(instancePath(source), backupNow());
        String backupId = backups.of(source).get(0).id();
        Map<String, Object> restore = Map.of(BackupParameters.RESTORE_FROM_BACKUP, backupId);

        OsbClient.Response otherCluster = osb.put(instancePath(newId()), inKubernetes("cluster-2", restore));
        OsbClient.Response sameCluster = osb.put(instancePath(newId()), inKubernetes("cluster-1", restore));

        assertThat(otherCluster.status()).as(otherCluster.toString()).isEqualTo(400);
        assertThat(sameCluster.status()).as(sameCluster.toString()).isEqualTo(201);
    }

    private static Map<String, Object> inKubernetes(String cluster, Map<String, Object> parameters) {
        Map<String, Object> body = provision(FAKE_SERVICE, FAKE_PLAN, parameters);
        body.put("organization_guid", cluster);
        body.put("space_guid", "namespace-uid-" + cluster);
        body.put("context", Map.of("platform", "kubernetes", "namespace", "default", "clusterid", cluster));
        return body;
    }

    @Test
    void backupParametersThatMakeNoSenseAreRefusedAndNothingIsRecorded() {
        String source = provisioned(FAKE_PLAN, Map.of());

        Map<String, Map<String, Object>> wrong = new LinkedHashMap<>();
        wrong.put("backup later", Map.of(BackupParameters.BACKUP, "later"));
        wrong.put("backup with a change", Map.of(BackupParameters.BACKUP, "now", "size", 3));
        wrong.put("restore on update", Map.of(BackupParameters.RESTORE_FROM_BACKUP, "x"));
        wrong.put("schedule on a plan without one", Map.of(BackupParameters.EVERY, "1h"));
        wrong.forEach((what, parameters) -> assertThat(osb.patch(
                                instancePath(source),
                                Map.of("service_id", FAKE_SERVICE, "plan_id", FAKE_PLAN, "parameters", parameters))
                        .status())
                .as(what)
                .isEqualTo(400));
        OsbClient.Response tooOften = osb.put(
                instancePath(newId()), provision(FAKE_SERVICE, BACKED_UP, Map.of(BackupParameters.EVERY, "5m")));
        assertThat(tooOften.status()).isEqualTo(400);
        assertThat(tooOften.text("description")).contains("backup_every must be between 30m and 1h");
        OsbClient.Response beforeAnyBackup = osb.put(
                instancePath(newId()),
                provision(
                        FAKE_SERVICE,
                        FAKE_PLAN,
                        Map.of(
                                BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF,
                                source,
                                BackupParameters.RESTORE_BEFORE,
                                "2020-01-01T00:00:00Z")));
        assertThat(beforeAnyBackup.status()).isEqualTo(400);
        OsbClient.Response pointInTime = osb.put(
                instancePath(newId()),
                provision(
                        FAKE_SERVICE,
                        FAKE_PLAN,
                        Map.of(
                                BackupParameters.RESTORE_TO_POINT_IN_TIME_OF,
                                source,
                                BackupParameters.RESTORE_TIME,
                                Instant.now().toString())));
        assertThat(pointInTime.status()).isEqualTo(400);
        assertThat(pointInTime.text("description")).contains("cannot restore to a point in time");
        assertThat(backups.of(source)).isEmpty();
    }

    /**
     * A service's plans may have different provisioners, each with backups of its own format: a backup is refused
     * before an instance is made for it on a plan whose provisioner does not read it.
     */
    @Test
    void aBackupIsNotRestoredIntoAPlanOfAProvisionerThatDoesNotReadIt() {
        String source = provisioned(FAKE_PLAN, Map.of());
        osb.patch(instancePath(source), backupNow());
        String backupId = backups.of(source).get(0).id();
        String restored = newId();

        OsbClient.Response refused = osb.put(
                instancePath(restored),
                provision(FAKE_SERVICE, ELSEWHERE, Map.of(BackupParameters.RESTORE_FROM_BACKUP, backupId)));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.text("description"))
                .isEqualTo("backup " + backupId + " is in format fake/1, which plan 'elsewhere' does not read: restore"
                        + " it into an instance of the plan it was made on, or of another plan that reads it");
        assertThat(osb.get(instancePath(restored)).status()).isEqualTo(404);
    }

    @Test
    void deletingAnInstanceOfAPlanWithBackupsKeepsAFinalBackupThatCanBeRestored() {
        String source = provisioned(BACKED_UP, Map.of(BackupParameters.EVERY, "45m", BackupParameters.KEEP, "3d"));

        assertThat(osb.delete(instancePath(source) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + BACKED_UP)
                        .status())
                .isEqualTo(200);

        assertThat(backups.of(source))
                .singleElement()
                .satisfies(b -> assertThat(b.kind()).isEqualTo(Kind.FINAL));
        String restored = provisioned(FAKE_PLAN, Map.of(BackupParameters.RESTORE_FROM_LATEST_BACKUP_OF, source));
        assertThat(fake.restored(restored)).hasValue(ControllableProvisioner.data(source));
    }

    /** Nothing to keep: a provision that failed left nothing behind, and the deletion must not wait for a backup. */
    @Test
    void deletingAnInstanceWhoseProvisionFailedTakesNoFinalBackup() {
        String id = newId();
        assertThat(osb.put(instancePath(id), provision(FAKE_SERVICE, BACKED_UP, Map.of("behaviour", "fail")))
                        .status())
                .isEqualTo(502);

        OsbClient.Response deleted =
                osb.delete(instancePath(id) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + BACKED_UP);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(backups.of(id)).isEmpty();
    }

    @Test
    void anOperatorTriggersABackupThatRunsAsTheInstancesOperation() {
        String source = provisioned(FAKE_PLAN, Map.of());
        OsbClient operator = osb.as(OPERATOR, OPERATOR_PASSWORD);

        OsbClient.Response accepted = operator.send("POST", "/admin/instances/" + source + "/backups", null);

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        OsbClient.Response done = awaitOperation(instancePath(source) + "/last_operation");
        assertThat(done.text("state")).isEqualTo("succeeded");
        assertThat(backups.of(source)).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(Kind.ON_DEMAND);
            assertThat(b.originatingIdentity()).contains(OPERATOR);
        });
        assertThat(osb.send("POST", "/admin/instances/" + source + "/backups", null)
                        .status())
                .isEqualTo(403);
        assertThat(operator.send("POST", "/admin/instances/no-such-instance/backups", null)
                        .status())
                .isEqualTo(404);
    }

    private String provisioned(String plan, Map<String, Object> parameters) {
        String id = newId();
        OsbClient.Response response = osb.put(instancePath(id), provision(FAKE_SERVICE, plan, parameters));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return id;
    }

    private static Map<String, Object> backupNow() {
        return Map.of(
                "service_id", FAKE_SERVICE, "plan_id", FAKE_PLAN, "parameters", Map.of(BackupParameters.BACKUP, "now"));
    }
}
