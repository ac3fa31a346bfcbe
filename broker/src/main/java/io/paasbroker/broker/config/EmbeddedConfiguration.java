package io.paasbroker.broker.config;

import com.zaxxer.hikari.HikariDataSource;
import io.paasbroker.broker.embedded.DataDirectory;
import io.paasbroker.broker.embedded.EmbeddedPostgresServer;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: with {@code paasbroker.embedded.enabled} (the default), the broker runs its own PostgreSQL
 * server for its state and its tenants. Production sets it to false and configures spring.datasource.* instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "paasbroker.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(DataDirectory data) {
        return new EmbeddedPostgresServer(data);
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
