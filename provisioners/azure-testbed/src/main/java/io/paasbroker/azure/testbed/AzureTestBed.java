package io.paasbroker.azure.testbed;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.paasbroker.azure.testbed.conformance.ArmConformance;
import io.paasbroker.azure.testbed.fake.ArmRequest;
import io.paasbroker.azure.testbed.fake.Azurite;
import io.paasbroker.azure.testbed.fake.FakeArm;
import io.paasbroker.azure.testbed.fake.FakeEntraId;
import io.paasbroker.azure.testbed.fake.FakeFlexibleServers;
import io.paasbroker.azure.testbed.fake.FakeRedisEnterprise;
import io.paasbroker.azure.testbed.fake.FakeStorageAccounts;
import io.paasbroker.testbed.ServerAddresses;
import io.paasbroker.testbed.TestBedCertificates;
import io.paasbroker.testbed.Violations;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The azure provisioner's test bed: a fake Entra ID that logs the broker's service principal in, and a fake Azure
 * Resource Manager with one subscription and resource group, serving PostgreSQL flexible servers with real PostgreSQL
 * servers behind them, MySQL ones with MariaDB, Azure Managed Redis clusters with real Redis servers (signed in to with
 * Entra tokens), and a storage account with Azurite behind it; every request it is
 * sent is checked against Azure's published REST shapes. Everything listens on loopback, over TLS with the test
 * bed's own CA.
 */
public final class AzureTestBed implements AutoCloseable {

    public static final String TENANT_ID = "8d0e4a7c-1f2b-4c3d-9e5f-6a7b8c9d0e1f";
    /** The subscription of the example catalog ({@code catalog-azure.yml}), so the try-it broker runs it as it is. */
    public static final String SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

    public static final String RESOURCE_GROUP = "paasbroker-tenants";
    public static final String LOCATION = "uksouth";
    /** The operator's storage account in the resource group, Azurite behind it. */
    public static final String STORAGE_ACCOUNT = "pbtenantblobs";
    /** The container there that the operator made for the Redis plans' backups (their exports). */
    public static final String REDIS_BACKUP_CONTAINER = "redis-backups";

    private final TestBedCertificates certificates;
    private final Violations violations = new Violations();
    private final FakeEntraId entraId;
    private final FakeArm arm;
    private final FakeFlexibleServers flexibleServers;
    private final FakeFlexibleServers mysqlFlexibleServers;
    private final FakeRedisEnterprise redisEnterprise;
    private final Azurite azurite;
    private final FakeStorageAccounts storageAccounts;
    private final FakeEntraId.Principal broker;

    public AzureTestBed(Path work) {
        this.certificates = TestBedCertificates.in(work.resolve("certificates"), ServerAddresses.ALL);
        this.entraId = new FakeEntraId(certificates, violations);
        this.arm = new FakeArm(
                certificates, entraId, ArmConformance.ofPublishedShapes()::check, violations, Clock.systemUTC());
        this.flexibleServers = FakeFlexibleServers.postgres(arm.operations(), certificates, work);
        arm.serve(flexibleServers);
        this.mysqlFlexibleServers = FakeFlexibleServers.mysql(arm.operations(), certificates, work.resolve("mysql"));
        arm.serve(mysqlFlexibleServers);
        this.redisEnterprise =
                new FakeRedisEnterprise(arm.operations(), certificates, entraId, work.resolve("redis-enterprise"));
        arm.serve(redisEnterprise);
        ArmRequest.ResourceGroup group = arm.addResourceGroup(SUBSCRIPTION_ID, RESOURCE_GROUP, LOCATION);
        this.azurite = Azurite.start(work.resolve("azurite"), certificates, STORAGE_ACCOUNT);
        makeContainer(azurite, REDIS_BACKUP_CONTAINER);
        this.storageAccounts = new FakeStorageAccounts(azurite, group);
        arm.serve(storageAccounts);
        this.broker = entraId.register(TENANT_ID);
    }

    /** A private container the operator makes in the storage account. */
    private static void makeContainer(Azurite azurite, String container) {
        int status = azurite.send("PUT", "/" + container, Map.of("restype", "container"), Map.of())
                .statusCode();
        if (status != 201) {
            throw new IllegalStateException("Azurite did not make container " + container + ": " + status);
        }
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

    /** PostgreSQL's flexible servers. */
    public FakeFlexibleServers flexibleServers() {
        return flexibleServers;
    }

    /** MySQL's flexible servers, MariaDB behind them. */
    public FakeFlexibleServers mysqlFlexibleServers() {
        return mysqlFlexibleServers;
    }

    /** Azure Managed Redis clusters, a real Redis behind each. */
    public FakeRedisEnterprise redisEnterprise() {
        return redisEnterprise;
    }

    /**
     * A new application's own identity (as its managed identity or service principal) in the test bed's tenant:
     * it logs in at {@link #authorityHost()} with its client id and secret, and signs in to Redis as its object id.
     */
    public FakeEntraId.Principal application() {
        return entraId.register(TENANT_ID);
    }

    /**
     * A token of {@code application} for {@code scope}, as the application gets one through the Azure SDK: its client
     * credentials at the test bed's Entra ID, whose CA it trusts as Azure's.
     */
    public String token(FakeEntraId.Principal application, String scope) {
        return new ClientSecretCredentialBuilder()
                .authorityHost(authorityHost().toString())
                .tenantId(application.tenantId())
                .clientId(application.clientId())
                .clientSecret(application.clientSecret())
                .disableInstanceDiscovery()
                .httpClient(new JdkHttpClientBuilder(
                                java.net.http.HttpClient.newBuilder().sslContext(certificates.clientSslContext()))
                        .build())
                .build()
                .getTokenSync(new TokenRequestContext().addScopes(scope))
                .getToken();
    }

    /** The Azure RBAC actions the broker's requests needed. */
    public Set<String> brokerActionsUsed() {
        return arm.actionsUsed();
    }

    /** The storage account, and Azurite behind it. */
    public FakeStorageAccounts storageAccounts() {
        return storageAccounts;
    }

    public Azurite azurite() {
        return azurite;
    }

    /** What the fakes refused of the requests they were sent since the last call, and what Azure would have refused. */
    public List<String> takeViolations() {
        storageAccounts.audit(violations);
        return violations.take();
    }

    /** The broker's settings for the test bed: its Resource Manager, and the CA of it and of every server. */
    public Map<String, String> brokerProperties() {
        return Map.of(
                "paasbroker.azure.resource-manager", resourceManager().toString(),
                "paasbroker.azure.ca-certificate", caCertificatePem(),
                "paasbroker.azure.database-ca-certificate", caCertificatePem(),
                // Azurite applies a policy change at once; a short wait keeps the broker's waiting in play
                "paasbroker.azure.access-policy-propagation", "2s",
                "paasbroker.catalog", "classpath:catalog-azure.yml");
    }

    @Override
    public void close() {
        // each part stops even when one before it fails to
        try (azurite;
                mysqlFlexibleServers;
                flexibleServers;
                redisEnterprise;
                entraId;
                arm) {
            // closed in the reverse order: Resource Manager (and its operations) first, Azurite last
        }
    }

    /** {@code args[0]}: the work directory, {@code azure-testbed-data} when none is given. */
    public static void main(String[] args) throws InterruptedException, IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "azure-testbed-data").toAbsolutePath();
        AzureTestBed bed = new AzureTestBed(work);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bed.close();
            stopped.countDown();
        }));
        Path settings = work.resolve("broker.properties");
        Properties properties = new Properties();
        properties.putAll(bed.brokerProperties());
        try (Writer out = Files.newBufferedWriter(settings, StandardCharsets.UTF_8)) {
            properties.store(out, "the broker's settings for the Azure test bed (fakes, not Azure)");
        }
        Path credentials = work.resolve("credentials.env");
        Files.deleteIfExists(credentials);
        Files.createFile(
                credentials, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder environment = new StringBuilder(
                "# the Azure test bed's service principal and Entra ID (it checks every request's token); not Azure's\n");
        new TreeMap<>(bed.brokerEnvironment())
                .forEach((name, value) -> environment
                        .append("export ")
                        .append(name)
                        .append('=')
                        .append(value)
                        .append('\n'));
        Files.writeString(credentials, environment);
        Path application = work.resolve("application.env");
        Files.deleteIfExists(application);
        Files.createFile(
                application, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FakeEntraId.Principal app = bed.application();
        Files.writeString(
                application,
                "# an application's own identity in the test bed's Entra ID, to bind Redis plans with (object_id)\n"
                        + "export APP_TENANT_ID=" + app.tenantId() + "\n"
                        + "export APP_CLIENT_ID=" + app.clientId() + "\n"
                        + "export APP_CLIENT_SECRET=" + app.clientSecret() + "\n"
                        + "export APP_OBJECT_ID=" + app.objectId() + "\n"
                        + "export APP_TOKEN_URL=" + bed.authorityHost() + app.tenantId() + "/oauth2/v2.0/token\n"
                        + "export TEST_BED_CA=" + bed.certificates.caFile() + "\n");
        System.out.println("Azure test bed: fake Resource Manager at " + bed.resourceManager() + ", fake Entra ID at "
                + bed.authorityHost() + " (subscription " + SUBSCRIPTION_ID + ", resource group " + RESOURCE_GROUP
                + ")");
        System.out.println("Start the broker against it with its settings and service principal:");
        System.out.println("  (. " + credentials + " && bin/run-broker --spring.config.import=file:" + settings + ")");
        stopped.await();
    }
}
