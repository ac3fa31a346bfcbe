package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.azure.testbed.RoleCoverage;
import io.paasbroker.azure.testbed.fake.FakeEntraId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Brokers started as the README's "Try the azure plans" starts one: the executable jar with {@code catalog-azure.yml},
 * its state on a PostgreSQL of the tests, against an Azure test bed in this process, logged in as its service
 * principal through the environment the Azure SDK's credential chain reads.
 */
public final class AzureTestBedBrokers implements AutoCloseable {

    /** The example catalog's PostgreSQL service, and its plans. */
    public static final String POSTGRESQL = "6e0f1d52-0b7c-4a53-9d1e-2f4c8a9b3e71";

    public static final String BURSTABLE = "0c3e8f6a-5d21-4b7e-9a4f-1e2d3c4b5a61";
    public static final String GENERAL_PURPOSE = "4b8d2a7e-9f13-4c6a-b5e2-7d1f0a3c9e84";

    /** The example catalog's MySQL service, and its burstable plan. */
    public static final String MYSQL = "46cad3e3-db75-481c-b31e-f71195a81f9a";

    public static final String MYSQL_BURSTABLE = "f55a3d47-4749-424f-9f80-b03dfadb245f";

    /** The example catalog's Blob Storage service, and its plan whose containers are deleted with their blobs. */
    public static final String BLOB = "2d7a9c41-8e5b-4f36-a1d2-6c3b9e0f7a58";

    public static final String BLOB_SCRATCH = "1c9d8e7f-6a5b-4d3c-8e2f-1a0b9c8d7e6f";

    /** The example catalog's Redis service on Azure Managed Redis, and its plans. */
    public static final String REDIS = "93606c94-78a8-4fd8-bd7b-8740e5c23cfe";

    public static final String REDIS_BALANCED_B0 = "fd2c0717-582f-4f43-b7a5-a41ae009b07b";
    public static final String REDIS_BALANCED_B1_HA = "2bb74736-7f71-4c89-91ed-e5cf4e299c86";

    /** The brokers' state store, started with the first broker: a broker of other settings may keep its state elsewhere. */
    private SharedPostgres state;

    private final Path work = Path.of("target", "it-work", "azure-" + UUID.randomUUID());
    private final AzureTestBed azure = new AzureTestBed(work.resolve("test-bed").toAbsolutePath());
    private final List<BrokerProcess> started = new ArrayList<>();

    public BrokerProcess start(String name) {
        if (state == null) {
            state = new SharedPostgres();
        }
        List<String> properties = new ArrayList<>(state.brokerProperties(Catalogs.cloudCatalog()));
        properties.removeIf(property -> property.startsWith("paasbroker.catalog="));
        properties.add("paasbroker.catalog=classpath:catalog-azure.yml");
        properties.addAll(testBedProperties());
        return started(BrokerProcess.start(name, work, properties, List.of(), brokerEnvironment()));
    }

    /** A broker of the caller's settings, besides the test bed's: stopped with the others. */
    BrokerProcess started(BrokerProcess broker) {
        started.add(broker);
        return broker;
    }

    /** The broker's settings for the test bed (its Resource Manager and CAs), as name=value, without its catalog. */
    List<String> testBedProperties() {
        List<String> properties = new ArrayList<>();
        azure.brokerProperties().entrySet().stream()
                .filter(property -> !property.getKey().equals("paasbroker.catalog"))
                .forEach(property -> properties.add(property.getKey() + "=" + property.getValue()));
        return properties;
    }

    /** The test bed's service principal and Entra ID, as the Azure SDK's credential chain reads them. */
    Map<String, String> brokerEnvironment() {
        return azure.brokerEnvironment();
    }

    /**
     * A new application's own Entra ID identity in the test bed's tenant, as an application names it in a binding of
     * {@link #REDIS}: it gets its tokens with {@link #token}.
     */
    public FakeEntraId.Principal application() {
        return azure.application();
    }

    /** A token of {@code application} for {@code scope}, as it gets one through the Azure SDK from Entra ID. */
    public String token(FakeEntraId.Principal application, String scope) {
        return azure.token(application, scope);
    }

    /** The flexible servers there are now, by name. */
    public Set<String> flexibleServers() {
        return azure.flexibleServers().servers();
    }

    /**
     * The secrets no log of the broker may hold: its service principal's secret, every administrator password it sent,
     * the storage account's keys.
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>(azure.flexibleServers().passwordsSent());
        secrets.addAll(azure.mysqlFlexibleServers().passwordsSent());
        secrets.add(azure.brokerEnvironment().get("AZURE_CLIENT_SECRET"));
        secrets.addAll(azure.azurite().keys());
        return secrets;
    }

    /** Fails on what the broker sent that Azure's published REST shapes refuse, since the last call. */
    public void assertNoViolations() {
        assertThat(azure.takeViolations())
                .as("requests Azure's published REST shapes refuse")
                .isEmpty();
    }

    public void stopBrokers() {
        started.forEach(BrokerProcess::close);
        started.clear();
    }

    /** Stops everything, once the RBAC role the project ships is found to allow all the broker's requests. */
    @Override
    public void close() {
        try {
            assertThat(RoleCoverage.ofProjectRole().notAllowed(azure.brokerActionsUsed()))
                    .as("actions the broker needed that docs/azure-broker-role.json does not allow")
                    .isEmpty();
        } finally {
            stopBrokers();
            azure.close();
            if (state != null) {
                try {
                    state.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
