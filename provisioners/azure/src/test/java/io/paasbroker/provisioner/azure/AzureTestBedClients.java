package io.paasbroker.provisioner.azure;

import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import io.paasbroker.azure.testbed.AzureTestBed;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.TestPlans;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The broker's clients of the test bed's Azure, logged in as its service principal, and plans of the test bed. */
public final class AzureTestBedClients {

    private AzureTestBedClients() {}

    public static AzureClients of(AzureTestBed bed) {
        ServerTls tls = ServerTls.verifiedBy(bed.caCertificatePem());
        ConfigurationBuilder environment = new ConfigurationBuilder();
        bed.brokerEnvironment().forEach(environment::putProperty);
        Configuration configuration = environment.build();
        return new AzureClients(
                new AzureCloud(bed.resourceManager(), null, tls, tls, Duration.ofSeconds(30)), configuration);
    }

    /** A plan {@code name} of {@code defaults} with {@code overrides} on top; its id says its kind. */
    public static Plan plan(
            String kind, String name, String description, Map<String, Object> defaults, Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("subscription_id", AzureTestBed.SUBSCRIPTION_ID);
        properties.put("resource_group", AzureTestBed.RESOURCE_GROUP);
        properties.put("location", AzureTestBed.LOCATION);
        properties.putAll(defaults);
        properties.putAll(overrides);
        return TestPlans.of("plan-azure-" + kind + "-" + name, name, description, "azure", properties);
    }
}
