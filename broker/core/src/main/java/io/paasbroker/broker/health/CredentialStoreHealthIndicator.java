package io.paasbroker.broker.health;

import io.paasbroker.broker.credentials.CredentialStore;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

@Component
public class CredentialStoreHealthIndicator extends AbstractHealthIndicator {

    private final CredentialStore store;

    public CredentialStoreHealthIndicator(CredentialStore store) {
        super("the credential store cannot be reached");
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", store.describe());
        store.check();
        builder.up();
    }
}
