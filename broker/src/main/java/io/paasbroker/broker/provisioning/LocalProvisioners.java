package io.paasbroker.broker.provisioning;

import io.paasbroker.broker.embedded.EmbeddedMariaDbServer;
import io.paasbroker.broker.embedded.EmbeddedPostgresServer;
import io.paasbroker.broker.embedded.EmbeddedRedisServer;
import io.paasbroker.broker.embedded.EmbeddedServers;
import io.paasbroker.broker.settings.BrokerProperties;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.local.mysql.LocalMysqlProvisioner;
import io.paasbroker.provisioner.local.mysql.MysqlServer;
import io.paasbroker.provisioner.local.postgres.LocalPostgresProvisioner;
import io.paasbroker.provisioner.local.postgres.PostgresServer;
import io.paasbroker.provisioner.local.redis.LocalRedisProvisioner;
import io.paasbroker.provisioner.local.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local provisioners, each over the servers configured for its kind plus the embedded default's (named
 * {@code embedded}). A kind with no server gets no provisioner, so its plans are not published.
 */
public final class LocalProvisioners implements AutoCloseable {

    public static final String EMBEDDED = "embedded";

    private final List<ServiceProvisioner> provisioners = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public LocalProvisioners(BrokerProperties.Local configured, Optional<EmbeddedServers> embedded) {
        List<PostgresServer> postgres = new ArrayList<>();
        List<MysqlServer> mysql = new ArrayList<>();
        List<RedisServer> redis = new ArrayList<>();
        embedded.ifPresent(servers -> {
            int pg = servers.postgres().port();
            postgres.add(new PostgresServer(
                    EMBEDDED,
                    "127.0.0.1",
                    pg,
                    EmbeddedPostgresServer.ADMIN,
                    servers.postgres().adminPassword(),
                    "127.0.0.1",
                    pg,
                    List.of(EmbeddedPostgresServer.STATE_DATABASE),
                    null));
            servers.mariaDb()
                    .ifPresent(m -> mysql.add(new MysqlServer(
                            EMBEDDED,
                            "127.0.0.1",
                            m.port(),
                            EmbeddedMariaDbServer.ADMIN,
                            m.adminPassword(),
                            "127.0.0.1",
                            m.port(),
                            null)));
            servers.redis()
                    .ifPresent(r -> redis.add(new RedisServer(
                            EMBEDDED,
                            "127.0.0.1",
                            r.port(),
                            EmbeddedRedisServer.ADMIN,
                            r.adminPassword(),
                            "127.0.0.1",
                            r.port(),
                            null)));
        });
        servers(configured.postgres())
                .forEach(s -> postgres.add(new PostgresServer(
                        s.name(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        s.adminPassword(),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.protectedDatabases(),
                        s.connectTimeout())));
        servers(configured.mysql())
                .forEach(s -> mysql.add(new MysqlServer(
                        s.name(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        s.adminPassword(),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.connectTimeout())));
        servers(configured.redis())
                .forEach(s -> redis.add(new RedisServer(
                        s.name(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        s.adminPassword(),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.connectTimeout())));
        if (!postgres.isEmpty()) {
            add(new LocalPostgresProvisioner(postgres));
        }
        if (!mysql.isEmpty()) {
            add(new LocalMysqlProvisioner(mysql));
        }
        if (!redis.isEmpty()) {
            add(new LocalRedisProvisioner(redis));
        }
    }

    public List<ServiceProvisioner> all() {
        return List.copyOf(provisioners);
    }

    private <P extends ServiceProvisioner & AutoCloseable> void add(P provisioner) {
        provisioners.add(provisioner);
        closeables.add(provisioner);
    }

    private static List<BrokerProperties.Server> servers(List<BrokerProperties.Server> configured) {
        return configured == null ? List.of() : configured;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}
