package io.paasbroker.bench.cycle;

import io.paasbroker.bench.broker.EmbeddedServerAccess;
import io.paasbroker.bench.process.CpuMeter;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.redis.LocalRedisProvisioner;
import io.paasbroker.provisioner.local.redis.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Redis, plan {@code small} of the default catalog, on the broker's embedded server (the machine's redis-server). */
public final class RedisService extends DefaultCatalogService {

    public RedisService() {
        super("Redis", SERVICE_ID, SMALL_PLAN_ID);
    }

    static final String SERVICE_ID = "6e8f2a4b-1c3d-4e5f-9a7b-8c0d1e2f3a03";
    static final String SMALL_PLAN_ID = "3b4c5d6e-7f80-4a1b-9c2d-3e4f5a6b7c31";

    /** The ACL user the broker writes into its embedded server's ACL file (its {@code EmbeddedRedisServer.ADMIN}). */
    private static final String ADMIN = "paasbroker-admin";

    @Override
    public CycleTargets targets() {
        return new CycleTargets(null, null, 100.0);
    }

    @Override
    public ProvisionerCycle direct(Path brokerDataDirectory) {
        EmbeddedServerAccess embedded = EmbeddedServerAccess.of(brokerDataDirectory, "redis");
        // as the broker configures its embedded server: reached and handed out at the same address, the default
        // timeout
        RedisServer server = new RedisServer(
                "embedded",
                "127.0.0.1",
                embedded.port(),
                ADMIN,
                embedded.adminPassword(),
                "127.0.0.1",
                embedded.port(),
                null,
                ServerTls.OFF);
        return new ProvisionerCycle(
                new LocalRedisProvisioner(List.of(server)), plan("small", Map.of("server", "embedded")));
    }

    /**
     * redis-server and the children it forks to rewrite its append-only file; the broker starts it with a pid file in
     * its directory.
     */
    @Override
    public CpuMeter serverCpu(Path brokerDataDirectory) {
        return CpuMeter.ofServerTree(
                EmbeddedServerAccess.pid(brokerDataDirectory.resolve("redis").resolve("redis.pid"), "redis-server"));
    }
}
