package io.paasbroker.provisioner.local.boot;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.local.common.ClientPrograms;
import io.paasbroker.provisioner.local.mysql.LocalMysqlProvisioner;
import io.paasbroker.provisioner.local.mysql.MysqlServer;
import io.paasbroker.provisioner.local.opensearch.LocalOpenSearchProvisioner;
import io.paasbroker.provisioner.local.opensearch.OpenSearchServer;
import io.paasbroker.provisioner.local.postgres.LocalPostgresProvisioner;
import io.paasbroker.provisioner.local.postgres.PostgresServer;
import io.paasbroker.provisioner.local.redis.LocalRedisProvisioner;
import io.paasbroker.provisioner.local.redis.RedisServer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local provisioners, each over the servers configured for its kind plus those another module runs for them (the
 * embedded default's). A kind with no server gets no provisioner, so its plans are not published. The admin password
 * of a configured server comes from an {@link AdminPasswordSource}; contributed servers keep their own.
 */
public final class LocalProvisioners implements AutoCloseable {

    private final List<ServiceProvisioner> provisioners = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<ServiceKind, List<String>> configuredServers = new EnumMap<>(ServiceKind.class);

    public LocalProvisioners(
            LocalProperties configured, List<ContributedServers> contributed, AdminPasswordSource passwords) {
        List<PostgresServer> postgres = new ArrayList<>();
        List<MysqlServer> mysql = new ArrayList<>();
        List<RedisServer> redis = new ArrayList<>();
        List<OpenSearchServer> openSearch = new ArrayList<>();
        ClientPrograms mysqlClients = LocalMysqlProvisioner.defaultClientPrograms();
        for (ContributedServers servers : contributed) {
            postgres.addAll(servers.postgres());
            mysql.addAll(servers.mysql());
            redis.addAll(servers.redis());
            openSearch.addAll(servers.openSearch());
            if (servers.mysqlClientDirectory().isPresent()) {
                mysqlClients =
                        mysqlClients.preferring(servers.mysqlClientDirectory().get());
            }
        }
        configured(ServiceKind.POSTGRESQL, configured.postgres())
                .forEach(s -> postgres.add(new PostgresServer(
                        s.name(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        passwords.adminPassword(ServiceKind.POSTGRESQL, s),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.protectedDatabases(),
                        s.connectTimeout(),
                        s.serverTls())));
        configured(ServiceKind.MYSQL, configured.mysql())
                .forEach(s -> mysql.add(new MysqlServer(
                        s.name(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        passwords.adminPassword(ServiceKind.MYSQL, s),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.connectTimeout(),
                        s.serverTls())));
        configured(ServiceKind.REDIS, configured.redis())
                .forEach(s -> redis.add(new RedisServer(
                        s.name(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        passwords.adminPassword(ServiceKind.REDIS, s),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.connectTimeout(),
                        s.serverTls())));
        configured(ServiceKind.OPENSEARCH, configured.opensearch())
                .forEach(s -> openSearch.add(new OpenSearchServer(
                        s.name(),
                        s.scheme(),
                        s.host(),
                        s.port(),
                        s.adminUsername(),
                        passwords.adminPassword(ServiceKind.OPENSEARCH, s),
                        s.caCertificate(),
                        s.publicHostOrHost(),
                        s.publicPortOrPort(),
                        s.connectTimeout())));
        if (!postgres.isEmpty()) {
            add(new LocalPostgresProvisioner(postgres));
        }
        if (!mysql.isEmpty()) {
            add(new LocalMysqlProvisioner(mysql, mysqlClients));
        }
        if (!redis.isEmpty()) {
            add(new LocalRedisProvisioner(redis));
        }
        if (!openSearch.isEmpty()) {
            add(new LocalOpenSearchProvisioner(openSearch));
        }
    }

    public List<ServiceProvisioner> provisioners() {
        return List.copyOf(provisioners);
    }

    /** The names of the servers the operator configured (not the contributed ones), by kind. */
    public Map<ServiceKind, List<String>> configuredServers() {
        return Map.copyOf(configuredServers);
    }

    /** What rotates the admin password of the configured server {@code server} of {@code kind}, if there is one. */
    public Optional<AdminPasswordRotation> rotation(ServiceKind kind, String server) {
        if (!configuredServers.getOrDefault(kind, List.of()).contains(server)) {
            return Optional.empty();
        }
        return provisioners.stream()
                .filter(p -> p.kind() == kind)
                .flatMap(p -> p.adminPasswordRotation().stream())
                .findFirst();
    }

    private <P extends ServiceProvisioner & AutoCloseable> void add(P provisioner) {
        provisioners.add(provisioner);
        closeables.add(provisioner);
    }

    /** A configured server of the name of a contributed one is refused, as two servers of one name are. */
    private List<LocalProperties.Server> configured(ServiceKind kind, List<LocalProperties.Server> servers) {
        List<LocalProperties.Server> all = servers == null ? List.of() : servers;
        configuredServers.put(
                kind, all.stream().map(LocalProperties.Server::name).toList());
        return all;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}
