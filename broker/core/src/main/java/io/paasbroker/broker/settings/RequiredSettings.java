package io.paasbroker.broker.settings;

import io.paasbroker.broker.PaasbrokerApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Before anything starts: a broker off the embedded default must be told where its state store and credential store
 * are and which platforms may call it. What is missing is named all at once, in the operator's words, rather than as
 * the first bean that fails.
 */
public class RequiredSettings implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(PaasbrokerApplication.class)) {
            return; // another application with the broker's classes on its class path (the benchmark's bare app)
        }
        Binder settings = Binder.get(environment);
        if (settings.bind("paasbroker.embedded.enabled", Boolean.class).orElse(false)) {
            return;
        }
        List<String> missing = missing(settings);
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
    }

    static List<String> missing(Binder settings) {
        List<String> missing = new ArrayList<>();
        if (!bound(settings, "spring.datasource.url")) {
            missing.add("the state store: spring.datasource.url, username and password of a PostgreSQL database");
        }
        String store =
                settings.bind("paasbroker.credentials.store", String.class).orElse("encrypted-jdbc");
        if (store.equals("vault") && !bound(settings, "paasbroker.credentials.vault.address")) {
            missing.add("the credential store: paasbroker.credentials.vault.address, with a token or AppRole");
        }
        if (store.equals("encrypted-jdbc") && !bound(settings, "paasbroker.credentials.encrypted-jdbc.keys[0].id")) {
            missing.add("the credential store: paasbroker.credentials.encrypted-jdbc.keys (id and base64 AES-256"
                    + " secret) or paasbroker.credentials.store=vault");
        }
        if (!bound(settings, "spring.security.user.name")
                && !bound(settings, "paasbroker.security.platforms[0].username")) {
            missing.add("the platforms that may call the broker: paasbroker.security.platforms (username and BCrypt"
                    + " password-hash) or spring.security.user.name and password");
        }
        return missing;
    }

    private static boolean bound(Binder settings, String name) {
        return settings.bind(name, String.class).isBound();
    }

    /** After the application's own settings are read, and after a module's defaults (the embedded default's). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
