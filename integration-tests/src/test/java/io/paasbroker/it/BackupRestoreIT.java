package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.isolation.MysqlProbe;
import io.paasbroker.it.isolation.OpenSearchProbe;
import io.paasbroker.it.isolation.PostgresProbe;
import io.paasbroker.it.isolation.RedisProbe;
import io.paasbroker.it.isolation.S3Probe;
import io.paasbroker.it.isolation.TenantProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backups and restores through the broker's executable jar on its embedded default, service by service, with the
 * services' real clients: what a new instance restores is the data at backup time, and a large PostgreSQL database
 * goes through a broker killed mid-backup with bounded memory.
 */
class BackupRestoreIT {

    private static final Path WORK = Path.of("target", "it-work", "backups-" + UUID.randomUUID());
    private static final List<String> PROPERTIES = List.of("paasbroker.operations.lease=5s");

    private static BrokerProcess broker;

    @BeforeAll
    static void broker() {
        broker = BrokerProcess.start("backups-1", WORK, PROPERTIES);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Stream<TenantProbe> services() {
        return Stream.of(
                new PostgresProbe(), new MysqlProbe(), new RedisProbe(), S3Probe.local(), OpenSearchProbe.local());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aNewInstanceRestoresTheDataAsItWasAtBackupTime(TenantProbe probe) throws Exception {
        Platform platform = new Platform(broker.client(), probe.service(), probe.plan());
        String source = provisioned(platform, Map.of());
        JsonNode original = bound(platform, source);
        probe.write(original, "at backup time");

        OsbClient.Response backedUp = platform.update(source, false, Map.of("backup", "now"));
        assertThat(backedUp.status()).as(backedUp.toString()).isEqualTo(200);
        probe.write(original, "after the backup");

        String copy = provisioned(platform, Map.of("restore_from_latest_backup_of", source));
        JsonNode restored = bound(platform, copy);

        assertThat(probe.read(restored)).isEqualTo("at backup time");
        probe.write(restored, "the copy goes its own way");
        assertThat(probe.read(restored)).isEqualTo("the copy goes its own way");
        assertThat(probe.read(original)).isEqualTo("after the backup");
    }

    @Test
    void aLargeDatabaseBacksUpThroughAKilledBrokerAndRestoresWithBoundedMemory() throws Exception {
        Platform platform = new Platform(broker.client(), new PostgresProbe().service(), new PostgresProbe().plan());
        String source = provisioned(platform, Map.of());
        JsonNode original = bound(platform, source);
        // about 200 MB of rows that compress poorly, so the backup itself is large too
        Tenant.execute(
                original,
                "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text)"
                        + " || md5((g * 13)::text) AS payload FROM generate_series(1, 1500000) g");
        String checksum = Tenant.queryOne(original, "SELECT md5(string_agg(payload, '' ORDER BY id)) FROM big");

        OsbClient.Response accepted = platform.update(source, true, Map.of("backup", "now"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        BrokerProcess.sleep(1500);
        broker.kill();
        broker = BrokerProcess.start("backups-2", WORK, PROPERTIES);
        platform = new Platform(broker.client(), new PostgresProbe().service(), new PostgresProbe().plan());

        OsbClient.Response done = platform.awaitInstance(source);
        assertThat(done.text("state")).as(done.toString()).isEqualTo("succeeded");
        JsonNode backups = broker.client()
                .get("/v2/service_instances/" + source)
                .body()
                .get("parameters")
                .get("backups");
        assertThat(backups).anySatisfy(b -> assertThat(b.get("state").asText()).isEqualTo("completed"));
        assertThat(backups).allSatisfy(b -> assertThat(b.get("state").asText()).isIn("completed", "failed"));

        String copy = provisioned(platform, Map.of("restore_from_latest_backup_of", source));
        JsonNode restored = bound(platform, copy);

        assertThat(Tenant.queryOne(restored, "SELECT md5(string_agg(payload, '' ORDER BY id)) FROM big"))
                .isEqualTo(checksum);
        long peak = broker.peakResidentMiB();
        System.out.println("broker peak resident memory through a 200 MB backup and restore: " + peak + " MiB");
        assertThat(peak).as("the broker's peak resident memory, MiB").isLessThan(700);
    }

    private static String provisioned(Platform platform, Map<String, Object> parameters) {
        String id = UUID.randomUUID().toString();
        OsbClient.Response response = platform.provision(id, false, parameters);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return id;
    }

    private static JsonNode bound(Platform platform, String instance) {
        OsbClient.Response response = platform.bind(instance, UUID.randomUUID().toString(), false);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body().get("credentials");
    }
}
