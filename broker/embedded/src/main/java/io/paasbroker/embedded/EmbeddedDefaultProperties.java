package io.paasbroker.embedded;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the embedded default on where this module is on the class path (the standalone artifact, the tests), below
 * every other setting: {@code paasbroker.embedded.enabled=false} from the operator still wins. The production artifact
 * does not have this module, so nothing there starts a server by default.
 */
public class EmbeddedDefaultProperties implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "paasbroker-embedded-default", Map.of("paasbroker.embedded.enabled", "true")));
    }

    /** Before the broker checks its settings, which this one relieves of most. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
