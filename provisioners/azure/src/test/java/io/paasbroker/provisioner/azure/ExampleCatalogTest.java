package io.paasbroker.provisioner.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.azure.core.util.ConfigurationBuilder;
import io.paasbroker.catalog.Catalog;
import io.paasbroker.catalog.CatalogLoader;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.azure.blob.BlobContainerProvisioner;
import io.paasbroker.provisioner.azure.flexible.FlexibleServerProvisioner;
import io.paasbroker.provisioner.azure.redis.ManagedRedisProvisioner;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example catalog's azure plans are ones the provisioner serves: the broker starts with it as it is. */
class ExampleCatalogTest {

    private static final Path CATALOG = Path.of("broker", "core", "src", "main", "resources", "catalog-azure.yml");

    @Test
    void everyAzurePlanOfTheExampleCatalogPassesItsProvisionersChecks() throws IOException {
        AzureClients clients = new AzureClients(
                new AzureCloud(
                        URI.create("https://management.azure.com"),
                        null,
                        ServerTls.verifiedBy(null),
                        ServerTls.verifiedBy(null),
                        Duration.ofSeconds(30)),
                new ConfigurationBuilder().build());
        MasterPasswords admins = new MasterPasswords(new MapSecretStore(new HashMap<>()));
        Map<ServiceKind, ServiceProvisioner> provisioners = Map.of(
                ServiceKind.POSTGRESQL,
                FlexibleServerProvisioner.postgres(clients, admins, "pb"),
                ServiceKind.MYSQL,
                FlexibleServerProvisioner.mysql(clients, admins, "pb"),
                ServiceKind.REDIS,
                new ManagedRedisProvisioner(clients, "pb"),
                ServiceKind.S3,
                new BlobContainerProvisioner(clients, "pb", BlobContainerProvisioner.POLICY_PROPAGATION));
        Catalog catalog;
        try (InputStream yaml = Files.newInputStream(projectFile(CATALOG))) {
            catalog = CatalogLoader.load(yaml, CATALOG.toString());
        }
        int checked = 0;
        for (ServiceOffering service : catalog.services()) {
            for (Plan plan : service.plans()) {
                assertThat(plan.provisioner().name()).isEqualTo("azure");
                ServiceProvisioner provisioner = provisioners.get(service.kind());
                assertThatCode(() -> provisioner.checkPlan(plan))
                        .as(plan.name())
                        .doesNotThrowAnyException();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(9);
    }

    private static Path projectFile(Path file) {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve(file))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException(
                    "no " + file + " above " + Path.of("").toAbsolutePath());
        }
        return directory.resolve(file);
    }
}
