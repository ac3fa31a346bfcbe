package io.paasbroker.provisioner.azure;

import com.azure.core.util.Configuration;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.TestPlans;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real Azure subscription a live suite runs in, as its environment names it: the subscription
 * ({@code PAASBROKER_AZURE_LIVE_SUBSCRIPTION_ID}, which turns the live suites on), a resource group of its own
 * ({@code PAASBROKER_AZURE_LIVE_RESOURCE_GROUP}) in a region ({@code PAASBROKER_AZURE_LIVE_LOCATION}), and the broker's
 * identity from the Azure SDK's default credential chain (a service principal's {@code AZURE_CLIENT_ID},
 * {@code AZURE_CLIENT_SECRET} and {@code AZURE_TENANT_ID}, a managed identity, the Azure CLI's login).
 */
public final class AzureLiveSubscription {

    /** The variable that names the subscription; the live suites run only when it is set. */
    public static final String SUBSCRIPTION = "PAASBROKER_AZURE_LIVE_SUBSCRIPTION_ID";

    private AzureLiveSubscription() {}

    public static String subscriptionId() {
        return required(SUBSCRIPTION);
    }

    public static String resourceGroup() {
        return required("PAASBROKER_AZURE_LIVE_RESOURCE_GROUP");
    }

    /**
     * The broker's clients of Azure's public cloud, trusting the system's CAs for Azure Resource Manager and, for the
     * servers it makes, {@code PAASBROKER_AZURE_LIVE_DATABASE_CA_FILE} where it names a PEM file (Azure's database
     * certificates chain to DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017).
     */
    public static AzureClients clients() {
        return new AzureClients(
                new AzureCloud(
                        URI.create("https://management.azure.com"),
                        null,
                        ServerTls.verifiedBy(null),
                        ServerTls.verifiedBy(optionalFile("PAASBROKER_AZURE_LIVE_DATABASE_CA_FILE")),
                        Duration.ofSeconds(60)),
                Configuration.getGlobalConfiguration());
    }

    /** The region of the servers the live suites make ({@code PAASBROKER_AZURE_LIVE_LOCATION}). */
    public static String location() {
        return required("PAASBROKER_AZURE_LIVE_LOCATION");
    }

    /** A plan {@code name} in the subscription's resource group, of {@code properties}. */
    public static Plan plan(String kind, String name, Map<String, Object> properties) {
        Map<String, Object> placed = new LinkedHashMap<>();
        placed.put("subscription_id", subscriptionId());
        placed.put("resource_group", resourceGroup());
        placed.putAll(properties);
        return TestPlans.of("plan-azure-live-" + kind + "-" + name, name, "live " + kind, "azure", placed);
    }

    /**
     * The public address Azure sees this machine's connections come from ({@code PAASBROKER_AZURE_LIVE_CLIENT_IP}):
     * the broker sets each server's tenancy up over it, so the servers' firewall admits it.
     */
    public static String clientAddress() {
        return required("PAASBROKER_AZURE_LIVE_CLIENT_IP");
    }

    static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the Azure live suites need " + variable + " set");
        }
        return value;
    }

    private static String optionalFile(String variable) {
        String file = System.getenv(variable);
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(variable + " names a file that cannot be read", e);
        }
    }
}
