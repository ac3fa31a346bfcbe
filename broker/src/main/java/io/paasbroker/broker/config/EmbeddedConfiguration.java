package io.paasbroker.broker.config;

import com.zaxxer.hikari.HikariDataSource;
import io.paasbroker.broker.embedded.DataDirectory;
import io.paasbroker.broker.embedded.EmbeddedPostgresServer;
import io.paasbroker.broker.embedded.EmbeddedServers;
import io.paasbroker.broker.settings.BrokerProperties;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: with {@code paasbroker.embedded.enabled} (the default), the broker runs its own servers:
 * PostgreSQL for its state and tenants, MariaDB, Redis and OpenSearch for tenants. Production sets it to false and configures spring.datasource.* instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "paasbroker.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedServers embeddedServers(DataDirectory data, BrokerProperties properties) {
        return EmbeddedServers.start(
                data,
                properties.embedded().mysql(),
                properties.embedded().redis(),
                properties.embedded().opensearch());
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
}
