package io.paasbroker.provisioner.local.boot;

import io.paasbroker.catalog.ServiceKind;

/** Where the local provisioners get the admin password of a server the operator configured. */
@FunctionalInterface
public interface AdminPasswordSource {

    /** The password to log in with now; {@code server.adminPassword()} is only the bootstrap value. */
    String adminPassword(ServiceKind kind, LocalProperties.Server server);
}
