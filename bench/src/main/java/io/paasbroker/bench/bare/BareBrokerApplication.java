package io.paasbroker.bench.bare;

import io.paasbroker.broker.osb.OsbCatalogMapper;
import io.paasbroker.catalog.Catalog;
import io.paasbroker.catalog.CatalogLoader;
import io.paasbroker.provisioner.local.boot.LocalProvisionerAutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The framework floor: Spring Boot + Spring Cloud Open Service Broker as shipped, no security, serving the catalog the
 * broker publishes (the broker's own catalog.yml and mapper, kept to the plans given in {@code bench.plans}).
 */
// the local provisioner's module (and through it JDBC) is on the class path for the raw cycles: the framework floor
// has neither a provisioner nor a database
@SpringBootApplication(exclude = {LocalProvisionerAutoConfiguration.class, DataSourceAutoConfiguration.class})
public class BareBrokerApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BareBrokerApplication.class);
        application.setDefaultProperties(java.util.Map.of(
                // the broker's jar on the class path brings its application.yml: not ours to read
                "spring.config.name", "bare-broker",
                "spring.main.banner-mode", "off",
                // the same JSON as the broker writes
                "spring.jackson.default-property-inclusion", "non_null"));
        application.run(args);
    }

    @Bean
    org.springframework.cloud.servicebroker.model.catalog.Catalog catalog(@Value("${bench.plans}") Set<String> plans) {
        // catalog.yml is the broker jar's: the file the built broker serves
        try (InputStream yaml = BareBrokerApplication.class.getResourceAsStream("/catalog.yml")) {
            if (yaml == null) {
                throw new IllegalStateException("catalog.yml of the broker jar is not on the class path");
            }
            Catalog catalog = CatalogLoader.load(yaml, "catalog.yml");
            return OsbCatalogMapper.toOsb(catalog.withPlansWhere((service, plan) -> plans.contains(plan.id())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Bean
    NoOpInstanceService instanceService() {
        return new NoOpInstanceService();
    }

    @Bean
    NoOpBindingService bindingService() {
        return new NoOpBindingService();
    }
}
