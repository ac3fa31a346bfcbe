package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.credentials.ServerTls;

/** Administrative access to one server the operator runs; closing it throws nothing checked. */
public interface ServerAdmin extends AutoCloseable {

    /** Whether the server offers TLS, and how the broker verifies it. */
    ServerTls tls();

    /** Whether the server takes {@code password} for the admin now, asked on a connection of its own. */
    boolean acceptsPassword(String password);

    /**
     * Changes the admin's password on the server through an admin connection, then opens new connections with it;
     * connections already open keep working.
     */
    void changePassword(String newPassword);

    /** Opens new connections with {@code password}; connections already open keep working. */
    void usePassword(String password);

    @Override
    void close();
}
