package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.JdbcTenantSession;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flexible server contract for MySQL, with a real MariaDB standing in for MySQL behind each flexible server (its
 * administrator without SUPER, as Azure's), and what is MySQL's own: TLS of every login, the plan properties that
 * are PostgreSQL's, and backups Azure keeps for the server's retention.
 */
class FlexibleMysqlProvisionerIT extends FlexibleServerContract {

    @BeforeAll
    static void startTheTestBed() {
        start((clients, admins) -> FlexibleServerProvisioner.mysql(clients, admins, "pb"));
        provisioner.checkPlan(plan("small", Map.of()));
    }

    static Plan plan(String name, Map<String, Object> overrides) {
        return AzureTestBedClients.plan(
                "mysql",
                name,
                "MySQL on a flexible server of its own",
                Map.of(
                        "version",
                        "8.0.21",
                        "sku_name",
                        "Standard_B1ms",
                        "sku_tier",
                        "Burstable",
                        "storage_gb",
                        20,
                        // the broker's own address: it sets up each server's tenancy over it
                        "firewall_rules",
                        List.of(Map.of("name", "broker", "start_ip", "127.0.0.1", "end_ip", "127.0.0.1"))),
                overrides);
    }

    @Override
    Plan planOf(String name, Map<String, Object> overrides) {
        return plan(name, overrides);
    }

    @Override
    FakeFlexibleServers servers() {
        return bed.mysqlFlexibleServers();
    }

    /** Azure's MySQL API deletes no backup: it keeps each for the server's retention, and it still restores. */
    @Override
    void afterDeletingTheBackup(InstanceSnapshots snapshots, String backup) {
        String copy = create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup));

        assertThat(read(bind(copy, newId()))).isEqualTo("in the backup");
    }

    @Test
    void bindingsSpeakVerifiedTlsAndAPlaintextLoginIsRefused() {
        Credentials credentials = bind(provision(), newId());

        assertThat(JdbcTenantSession.text(credentials, "jdbcUrl")).contains("sslMode=VERIFY_IDENTITY");
        String plaintext = "jdbc:mariadb://" + JdbcTenantSession.text(credentials, "hostname") + ":"
                + credentials.values().get("port") + "/" + JdbcTenantSession.text(credentials, "name");
        assertThatThrownBy(() -> DriverManager.getConnection(
                                plaintext,
                                JdbcTenantSession.text(credentials, "username"),
                                JdbcTenantSession.text(credentials, "password"))
                        .close())
                .hasMessageContaining("insecure transport");
    }

    /**
     * The administrator may not end another user's session itself (no CONNECTION ADMIN, as on Azure): the tenancy asks
     * Azure's {@code mysql.az_kill} to.
     */
    @Test
    void unbindEndsTheBindingsOpenSessions() throws Exception {
        String instance = provision();
        String binding = newId();
        Credentials credentials = bind(instance, binding);

        try (Connection open = DriverManager.getConnection(JdbcTenantSession.text(credentials, "jdbcUrl"))) {
            unbind(instance, binding);

            assertThat(open.isValid(2)).as("the unbound binding's open session").isFalse();
        }
    }

    @Test
    void plansAndParametersAzureWouldRefuseForMysqlStopTheBrokerFirst() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan("pg", Map.of("allowed_extensions", List.of("pgcrypto")))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("PostgreSQL's");
        assertThatThrownBy(() -> provisioner.checkPlan(plan("eight", Map.of("version", "8"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("8.0.21");
        Plan unversioned = AzureTestBedClients.plan(
                "mysql",
                "unversioned",
                "MySQL without a version",
                Map.of("sku_name", "Standard_B1ms", "sku_tier", "Burstable", "storage_gb", 20),
                Map.of());
        assertThatThrownBy(() -> provisioner.checkPlan(unversioned))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("version must be one of");
        assertThatThrownBy(() -> provisioner.checkPlan(plan("tiny", Map.of("storage_gb", 10))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("storage_gb must be 20 to 16384");
        assertThatThrownBy(() -> provisioner.checkParameters(plan(), Map.of("extensions", List.of("pgcrypto"))))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("not allowed");
    }
}
