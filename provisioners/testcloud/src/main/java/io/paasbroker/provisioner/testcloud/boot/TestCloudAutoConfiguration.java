package io.paasbroker.provisioner.testcloud.boot;

import io.paasbroker.provisioner.host.ProvisionerPlugin;
import io.paasbroker.provisioner.testcloud.TestCloudProvisioner;
import java.net.URI;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The test cloud's provisioner plugged into the broker, when {@code paasbroker.testcloud.endpoint} says where it is. */
@AutoConfiguration
@ConditionalOnProperty("paasbroker.testcloud.endpoint")
public class TestCloudAutoConfiguration {

    @Bean
    ProvisionerPlugin testCloudProvisionerPlugin(Environment environment) {
        URI endpoint = URI.create(environment.getRequiredProperty("paasbroker.testcloud.endpoint"));
        return ProvisionerPlugin.of(TestCloudProvisioner.NAME, List.of(new TestCloudProvisioner(endpoint)));
    }
}
