package io.paasbroker.embedded;

import com.zaxxer.hikari.HikariDataSource;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.host.DataDirectory;
import io.paasbroker.provisioner.local.boot.ContributedServers;
import io.paasbroker.provisioner.local.common.ServedCertificate;
import io.paasbroker.provisioner.local.mysql.MysqlServer;
import io.paasbroker.provisioner.local.opensearch.OpenSearchServer;
import io.paasbroker.provisioner.local.postgres.PostgresServer;
import io.paasbroker.provisioner.local.redis.RedisServer;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The embedded default: with {@code paasbroker.embedded.enabled} (on by default where this module is, see
 * {@link EmbeddedDefaultProperties}), the broker runs its own servers: PostgreSQL for its state and tenants, MariaDB,
 * Redis and OpenSearch for tenants, all handed to the local provisioner as servers named {@code embedded}, with TLS.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnProperty(name = "paasbroker.embedded.enabled", havingValue = "true")
@EnableConfigurationProperties(EmbeddedProperties.class)
public class EmbeddedDefaultAutoConfiguration {

    /** The name the embedded servers go by among the local provisioner's servers. */
    public static final String SERVER_NAME = "embedded";

    private static final String LOOPBACK = "127.0.0.1";

    @Bean(destroyMethod = "close")
    EmbeddedServers embeddedServers(DataDirectory data, EmbeddedProperties properties) {
        return EmbeddedServers.start(data, properties.mysql(), properties.redis(), properties.opensearch());
    }

    @Bean(destroyMethod = "") // stopped with the other embedded servers
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedServers servers) {
        return servers.postgres();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgresServer postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("state-store");
        dataSource.setJdbcUrl(postgres.jdbcUrl(EmbeddedPostgresServer.STATE_DATABASE));
        dataSource.setUsername(EmbeddedPostgresServer.ADMIN);
        dataSource.setPassword(postgres.adminPassword());
        dataSource.setMaximumPoolSize(16);
        return dataSource;
    }

    /** The embedded servers as servers of the local provisioner; the state store's database is out of tenants' reach. */
    @Bean
    ContributedServers embeddedServersForTenants(EmbeddedServers servers) {
        int pg = servers.postgres().port();
        ServerTls tls = servers.certificates().serverTls();
        List<PostgresServer> postgres = List.of(new PostgresServer(
                SERVER_NAME,
                LOOPBACK,
                pg,
                EmbeddedPostgresServer.ADMIN,
                servers.postgres().adminPassword(),
                LOOPBACK,
                pg,
                List.of(EmbeddedPostgresServer.STATE_DATABASE),
                null,
                tls));
        List<MysqlServer> mysql = servers.mariaDb().stream()
                .map(m -> new MysqlServer(
                        SERVER_NAME,
                        LOOPBACK,
                        m.port(),
                        EmbeddedMariaDbServer.ADMIN,
                        m.adminPassword(),
                        LOOPBACK,
                        m.port(),
                        null,
                        tls))
                .toList();
        List<RedisServer> redis = servers.redis().stream()
                .map(r -> new RedisServer(
                        SERVER_NAME,
                        LOOPBACK,
                        r.port(),
                        EmbeddedRedisServer.ADMIN,
                        r.adminPassword(),
                        LOOPBACK,
                        r.port(),
                        null,
                        tls))
                .toList();
        List<OpenSearchServer> openSearch = servers.openSearch().stream()
                .map(o -> new OpenSearchServer(
                        SERVER_NAME,
                        o.scheme(),
                        LOOPBACK,
                        o.port(),
                        o.adminUsername(),
                        o.adminPassword(),
                        tls.caCertificatePem(),
                        LOOPBACK,
                        o.port(),
                        null))
                .toList();
        return new ContributedServers(
                postgres,
                mysql,
                redis,
                openSearch,
                servers.mariaDb().map(EmbeddedMariaDbServer::clientDirectory),
                Optional.of(new ServedCertificate(
                        servers.certificates().certificateFile(),
                        servers.certificates().keyFile(),
                        tls)));
    }
}
