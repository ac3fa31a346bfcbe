package io.paasbroker.provisioner.local.common;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.ServiceProvisioner;

/** What the {@code local} provisioners have in common: their name, and steps that are done when they answer. */
public abstract class LocalProvisioner implements ServiceProvisioner {

    /** The name plans give to be served by the local provisioners. */
    public static final String NAME = "local";

    private final ServiceKind kind;

    protected LocalProvisioner(ServiceKind kind) {
        this.kind = kind;
    }

    @Override
    public final String name() {
        return NAME;
    }

    @Override
    public final ServiceKind kind() {
        return kind;
    }

    @Override
    public final boolean completesSynchronously() {
        return true;
    }
}
