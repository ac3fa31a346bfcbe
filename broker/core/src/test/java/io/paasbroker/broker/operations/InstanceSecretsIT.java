package io.paasbroker.broker.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.broker.backup.Backups;
import io.paasbroker.broker.backup.ScheduledBackups;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.ControllableProvisioner;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A secret a provision reports (a cloud database's master password) reaches every later step of the instance, and a
 * binding's unbind gets the credentials the binding was issued: kept in the credential store, never in the state.
 */
class InstanceSecretsIT extends BrokerIT {

    @Autowired
    Backups backups;

    @Autowired
    ScheduledBackups scheduled;

    @Test
    void everyLaterStepReadsTheInstancesSecretsAndAnUnbindItsBindingsCredentials() {
        String instance = newId();
        String binding = newId();
        String master = ControllableProvisioner.masterPassword(instance);

        assertThat(osb.put(instancePath(instance), fakeProvision("secret")).status())
                .isEqualTo(201);
        JsonNode issued = credentials(osb.put(bindingPath(instance, binding), bind(FAKE_SERVICE, FAKE_PLAN, Map.of())));
        osb.delete(bindingPath(instance, binding) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN);
        osb.delete(instancePath(instance) + "?service_id=" + FAKE_SERVICE + "&plan_id=" + FAKE_PLAN);

        assertThat(fake.secretsSeen("bind", binding)).containsEntry("master_password", master);
        assertThat(fake.secretsSeen("unbind", binding)).containsEntry("master_password", master);
        assertThat(fake.secretsSeen("deprovision", instance)).containsEntry("master_password", master);
        assertThat(fake.credentialsSeenByUnbind(binding))
                .containsEntry("password", issued.get("password").asText());
        assertThat(jdbc.sql("SELECT count(*) FROM service_instances WHERE outputs::text LIKE ? OR credentials_ref = ?")
                        .params("%" + master + "%", master)
                        .query(Long.class)
                        .single())
                .as("the state store keeps a reference, not the secret")
                .isZero();
    }

    @Test
    void backupsAndTheRestoreIntoANewInstanceReadTheirInstancesSecrets() {
        String source = newId();
        String copy = newId();
        osb.put(instancePath(source), fakeProvision("secret"));

        backUpNow(source);
        String backupId = backups.of(source).get(0).id();
        osb.put(
                instancePath(copy),
                provision(
                        FAKE_SERVICE,
                        FAKE_PLAN,
                        Map.of("behaviour", "secret", BackupParameters.RESTORE_FROM_BACKUP, backupId)));
        String scheduledInstance = newId();
        osb.put(
                instancePath(scheduledInstance),
                provision(FAKE_SERVICE, "fake-backed-up", Map.of("behaviour", "secret")));
        scheduled.runDue();

        assertThat(fake.secretsSeen("backup", source))
                .containsEntry("master_password", ControllableProvisioner.masterPassword(source));
        assertThat(fake.secretsSeen("restore", copy))
                .as("the new instance's own, reported by its provision a moment before")
                .containsEntry("master_password", ControllableProvisioner.masterPassword(copy));
        assertThat(fake.secretsSeen("backup", scheduledInstance))
                .containsEntry("master_password", ControllableProvisioner.masterPassword(scheduledInstance));
    }
}
