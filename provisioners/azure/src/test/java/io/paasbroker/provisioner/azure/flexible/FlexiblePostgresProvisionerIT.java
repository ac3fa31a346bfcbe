package io.paasbroker.provisioner.azure.flexible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.JdbcTenantSession;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.azure.AzureTestBedClients;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flexible server contract for PostgreSQL, with a real PostgreSQL server behind each flexible server, and what is
 * PostgreSQL's own: TLS of every login, the extension allow-list, Azure's fixed storage sizes, deleted backups.
 */
class FlexiblePostgresProvisionerIT extends FlexibleServerContract {

    @BeforeAll
    static void startTheTestBed() {
        start((clients, admins) -> FlexibleServerProvisioner.postgres(clients, admins, "pb"));
        provisioner.checkPlan(plan("small", Map.of()));
    }

    static Plan plan(String name, Map<String, Object> overrides) {
        return AzureTestBedClients.plan(
                "postgresql",
                name,
                "PostgreSQL on a flexible server of its own",
                Map.of(
                        "version",
                        "16",
                        "sku_name",
                        "Standard_B1ms",
                        "sku_tier",
                        "Burstable",
                        "storage_gb",
                        32,
                        "allowed_extensions",
                        List.of("pgcrypto", "citext"),
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
        return bed.flexibleServers();
    }

    /** Azure deletes a PostgreSQL server's backup when asked: it restores no more. */
    @Override
    void afterDeletingTheBackup(InstanceSnapshots snapshots, String backup) {
        assertThatThrownBy(() -> create(plan(), Map.of(), into -> snapshots.restoreSnapshot(into, backup)))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("is gone");
    }

    @Test
    void aBindingConnectsOverVerifiedTlsOnly() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());

        String url = JdbcTenantSession.text(credentials, "jdbcUrl");
        assertThat(url).contains("sslmode=verify-full");
        String plain = url.replaceAll("sslmode=[a-z-]+", "sslmode=disable");
        assertThatThrownBy(() -> {
                    try (Connection ignored = DriverManager.getConnection(plain)) {
                        // connected without TLS
                    }
                })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");
    }

    @Test
    void anExtensionTheServerDoesNotAllowIsRefusedInsideItEvenToItsAdministrator() throws SQLException {
        String instance = provision(plan(), Map.of("extensions", List.of("citext")));
        Credentials credentials = bind(instance, newId());

        try (Connection tenant = DriverManager.getConnection(JdbcTenantSession.text(credentials, "jdbcUrl"))) {
            assertThat(tenant.createStatement()
                            .executeQuery("SELECT 'a'::citext = 'A'::citext")
                            .next())
                    .isTrue();
        }
        Properties administrator = new Properties();
        administrator.setProperty("user", FlexibleServerProvisioner.ADMIN_LOGIN);
        administrator.setProperty("password", new MasterPasswords(secrets).of(instance));
        administrator.setProperty("sslmode", "verify-full");
        administrator.setProperty("sslfactory", "org.postgresql.ssl.SingleCertValidatingFactory");
        administrator.setProperty("sslfactoryarg", bed.caCertificatePem());
        try (Connection admin = DriverManager.getConnection(
                "jdbc:postgresql://" + request(instance).outputs().get("host") + ":5432/"
                        + request(instance).outputs().get("database"),
                administrator)) {
            assertThatThrownBy(() -> admin.createStatement().execute("CREATE EXTENSION hstore"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("is not allow-listed");
        }
    }

    @Test
    void aStorageSizeAzureDoesNotOfferStopsTheBrokerAtStartUp() {
        assertThatThrownBy(() -> provisioner.checkPlan(plan("odd", Map.of("storage_gb", 33))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("storage_gb");
    }
}
