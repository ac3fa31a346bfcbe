package io.paasbroker.bench.cycle;

import io.paasbroker.bench.broker.EmbeddedPostgresAccess;
import io.paasbroker.bench.process.CpuMeter;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.postgres.LocalPostgresProvisioner;
import io.paasbroker.provisioner.local.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** PostgreSQL, plan {@code small} of the default catalog, on the broker's embedded server. */
public final class PostgresService extends DefaultCatalogService {

    public PostgresService() {
        super("PostgreSQL", SERVICE_ID, SMALL_PLAN_ID);
    }

    static final String SERVICE_ID = "5b2c4c4e-6a0b-4b59-9a4b-2f5f0a3d7c01";
    static final String SMALL_PLAN_ID = "0f4f0c8e-4c1f-4e0a-9d51-6a3c1a4c2b11";

    @Override
    public CycleTargets targets() {
        return new CycleTargets(1.25, 10.0, null, 1.5);
    }

    @Override
    public ProvisionerCycle direct(Path brokerDataDirectory) {
        EmbeddedPostgresAccess embedded = EmbeddedPostgresAccess.of(brokerDataDirectory);
        // as the broker configures its embedded server, protecting its state database too (one more REVOKE per
        // provision, which the broker pays as well)
        PostgresServer server = new PostgresServer(
                "embedded",
                "127.0.0.1",
                embedded.port(),
                EmbeddedPostgresAccess.ADMIN,
                embedded.adminPassword(),
                "127.0.0.1",
                embedded.port(),
                List.of(EmbeddedPostgresAccess.STATE_DATABASE),
                null,
                ServerTls.OFF);
        return new ProvisionerCycle(
                new LocalPostgresProvisioner(List.of(server)),
                plan("small", Map.of("server", "embedded", "connection_limit", 20)));
    }

    @Override
    public Optional<SqlFloor> sqlFloor(Path brokerDataDirectory) {
        EmbeddedPostgresAccess embedded = EmbeddedPostgresAccess.of(brokerDataDirectory);
        return Optional.of(
                new PostgresSqlFloor(embedded.port(), EmbeddedPostgresAccess.ADMIN, embedded.adminPassword()));
    }

    @Override
    public CpuMeter serverCpu(Path brokerDataDirectory) {
        return CpuMeter.ofServerTree(EmbeddedPostgresAccess.serverPid(brokerDataDirectory));
    }
}
