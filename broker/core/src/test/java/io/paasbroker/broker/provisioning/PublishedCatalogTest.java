package io.paasbroker.broker.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.broker.support.ControllableProvisioner;
import io.paasbroker.catalog.Catalog;
import io.paasbroker.catalog.CatalogLoader;
import io.paasbroker.catalog.InvalidCatalogException;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.host.ProvisionerPlugin;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedCatalogTest {

    private static final String CATALOG = """
            services:
              - id: s-mysql
                name: mysql
                kind: mysql
                description: served by the test provisioner
                bindable: true
                plans:
                  - {id: p-1, name: one, description: d, provisioner: {name: %s}}
              - id: s-redis
                name: redis
                kind: redis
                description: no provisioner here yet
                bindable: true
                plans:
                  - {id: p-2, name: two, description: d, provisioner: {name: aws}}
            """;

    @Test
    void plansWithoutAProvisionerForTheirKindAreNotPublished() {
        PublishedCatalog published =
                new PublishedCatalog(catalog("aws"), registry(new ControllableProvisioner()), "test");

        assertThat(published.catalog().services()).extracting("name").containsExactly("mysql");
        assertThat(published.plan("s-redis", "p-2")).isEmpty();
    }

    @Test
    void aPlanNamingAnUnknownProvisionerStopsTheBrokerNamingThePlan() {
        assertThatThrownBy(() -> new PublishedCatalog(catalog("gcp"), registry(new ControllableProvisioner()), "test"))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("service 'mysql' plan 'one'")
                .hasMessageContaining("unknown provisioner 'gcp'");
    }

    @Test
    void propertiesTheProvisionerRejectsStopTheBrokerNamingThePlan() {
        ControllableProvisioner strict = new ControllableProvisioner() {
            @Override
            public void checkPlan(Plan plan) {
                throw new InvalidPlanException("server 'nowhere' is not configured");
            }
        };

        assertThatThrownBy(() -> new PublishedCatalog(catalog("aws"), registry(strict), "test"))
                .hasMessageContaining("service 'mysql' plan 'one'")
                .hasMessageContaining("server 'nowhere' is not configured");
    }

    @Test
    void aPlanOfAKindItsProvisionerCanNeverServeStopsTheBrokerSayingWhy() {
        ProvisionerPlugin mysqlOnly = ProvisionerPlugin.of(
                "aws",
                List.of(new ControllableProvisioner()),
                Map.of(ServiceKind.REDIS, "this cloud has no Redis service"));

        assertThatThrownBy(() -> new PublishedCatalog(
                        catalog("aws"), new ProvisionerRegistry(List.of(mysqlOnly), List.of()), "test"))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("service 'redis' plan 'two'")
                .hasMessageContaining("provisioner 'aws' cannot serve redis: this cloud has no Redis service");
    }

    private static Catalog catalog(String provisioner) {
        return CatalogLoader.load(
                new ByteArrayInputStream(CATALOG.formatted(provisioner).getBytes(StandardCharsets.UTF_8)), "test");
    }

    private static ProvisionerRegistry registry(ControllableProvisioner provisioner) {
        return new ProvisionerRegistry(List.of(), List.of(provisioner));
    }
}
