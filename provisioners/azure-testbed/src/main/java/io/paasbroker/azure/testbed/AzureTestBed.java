package io.paasbroker.azure.testbed;

import io.paasbroker.azure.testbed.conformance.ArmConformance;
import io.paasbroker.azure.testbed.fake.FakeArm;
import io.paasbroker.azure.testbed.fake.FakeEntraId;
import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.testbed.ServerAddresses;
import io.paasbroker.testbed.TestBedCertificates;
import io.paasbroker.testbed.Violations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The azure provisioner's test bed: a fake Entra ID that logs the broker's service principal in, and a fake Azure
 * Resource Manager with one subscription and resource group, serving flexible servers with real PostgreSQL servers
 * behind them; every request it is sent is checked against Azure's published REST shapes. Everything listens on
 * loopback, over TLS with the test bed's own CA.
 */
public final class AzureTestBed implements AutoCloseable {

    public static final String TENANT_ID = "8d0e4a7c-1f2b-4c3d-9e5f-6a7b8c9d0e1f";
    /** The subscription of the example catalog ({@code catalog-azure.yml}), so the try-it broker runs it as it is. */
    public static final String SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

    public static final String RESOURCE_GROUP = "paasbroker-tenants";
    public static final String LOCATION = "uksouth";

    private final TestBedCertificates certificates;
    private final Violations violations = new Violations();
    private final FakeEntraId entraId;
    private final FakeArm arm;
    private final FakeFlexibleServers flexibleServers;
    private final FakeEntraId.Principal broker;

    public AzureTestBed(Path work) {
        this.certificates = TestBedCertificates.in(work.resolve("certificates"), ServerAddresses.ALL);
        this.entraId = new FakeEntraId(certificates, violations);
        this.arm = new FakeArm(
                certificates, entraId, ArmConformance.ofPublishedShapes()::check, violations, Clock.systemUTC());
        this.flexibleServers = new FakeFlexibleServers(arm.operations(), certificates, work);
        arm.serve(flexibleServers);
        arm.addResourceGroup(SUBSCRIPTION_ID, RESOURCE_GROUP, LOCATION);
        this.broker = entraId.register(TENANT_ID);
    }

    public URI resourceManager() {
        return arm.endpoint();
    }

    public URI authorityHost() {
        return entraId.authorityHost();
    }

    /** The test bed's CA, PEM: what Azure Resource Manager, Entra ID and every server's certificate chain to. */
    public String caCertificatePem() {
        return certificates.caCertificatePem();
    }

    /**
     * The broker's service principal and the test bed's Entra ID, as the Azure SDK's credential chain reads them from
     * the environment.
     */
    public Map<String, String> brokerEnvironment() {
        return Map.of(
                "AZURE_AUTHORITY_HOST", authorityHost().toString(),
                "AZURE_TENANT_ID", broker.tenantId(),
                "AZURE_CLIENT_ID", broker.clientId(),
                "AZURE_CLIENT_SECRET", broker.clientSecret());
    }

    public FakeArm arm() {
        return arm;
    }

    public FakeFlexibleServers flexibleServers() {
        return flexibleServers;
    }

    /** The Azure RBAC actions the broker's requests needed. */
    public Set<String> brokerActionsUsed() {
        return arm.actionsUsed();
    }

    /** What the fakes refused of the requests they were sent since the last call. */
    public List<String> takeViolations() {
        return violations.take();
    }

    @Override
    public void close() {
        arm.close();
        entraId.close();
        flexibleServers.close();
    }
}
