package io.paasbroker.bench.cycle;

import io.paasbroker.bench.broker.EmbeddedServerAccess;
import io.paasbroker.bench.process.CpuMeter;
import io.paasbroker.provisioner.local.opensearch.LocalOpenSearchProvisioner;
import io.paasbroker.provisioner.local.opensearch.OpenSearchServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * OpenSearch, plan {@code small} of the default catalog, on the broker's embedded node (a JVM of its own with the
 * security plugin). A cycle is about ten writes to the security plugin's configuration through its REST API, each a
 * fraction of a second: seconds, not milliseconds.
 */
public final class OpenSearchService extends DefaultCatalogService {

    public OpenSearchService() {
        super("OpenSearch", SERVICE_ID, SMALL_PLAN_ID);
    }

    static final String SERVICE_ID = "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c04";
    static final String SMALL_PLAN_ID = "4c5d6e7f-8091-4b2c-8d3e-4f5a6b7c8d41";

    /** The node's administrator (its {@code OpenSearchNode.adminUsername()}, the broker's embedded default's). */
    private static final String ADMIN = "admin";

    @Override
    public boolean slowCycles() {
        return true;
    }

    /**
     * As the broker configures its embedded node: plain HTTP on loopback, reached and handed out at the same address,
     * no CA certificate, the default timeout. The broker keeps the node's port in {@code
     * embedded-opensearch.properties}; the node keeps its admin password in its home.
     */
    @Override
    public ProvisionerCycle direct(Path brokerDataDirectory) {
        EmbeddedServerAccess embedded = EmbeddedServerAccess.of(
                brokerDataDirectory,
                "opensearch",
                brokerDataDirectory.resolve("opensearch").resolve("admin-password"));
        OpenSearchServer server = new OpenSearchServer(
                "embedded",
                "http",
                "127.0.0.1",
                embedded.port(),
                ADMIN,
                embedded.adminPassword(),
                null,
                "127.0.0.1",
                embedded.port(),
                null);
        return new ProvisionerCycle(
                new LocalOpenSearchProvisioner(List.of(server)), plan("small", Map.of("server", "embedded")));
    }

    /** The node's JVM, a child of the broker's; the broker starts it with a pid file in its home. */
    @Override
    public CpuMeter serverCpu(Path brokerDataDirectory) {
        return CpuMeter.ofProcess(EmbeddedServerAccess.pid(
                brokerDataDirectory.resolve("opensearch").resolve("opensearch.pid"), "java"));
    }

    @Override
    public String serverCpuColumn() {
        return "the OpenSearch node (its JVM)";
    }
}
