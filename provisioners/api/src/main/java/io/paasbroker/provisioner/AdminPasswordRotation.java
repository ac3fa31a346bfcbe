package io.paasbroker.provisioner;

/**
 * A provisioner whose servers' admin passwords can be changed while it serves. The caller keeps the passwords and
 * drives the rotation (so that a crash between two steps can be settled); the provisioner only talks to the server.
 * Connections already open stay open through every method, so steps in flight never fail because of a rotation.
 */
public interface AdminPasswordRotation {

    /**
     * Whether the server named {@code server} takes {@code password} for its admin now, on a connection of its own.
     *
     * @throws BackingServiceUnavailableException when the server cannot be asked
     */
    boolean acceptsAdminPassword(String server, String password);

    /**
     * Changes the admin's password on the server through the current admin connection, then opens new admin
     * connections with {@code newPassword}.
     */
    void rotateAdminPassword(String server, String newPassword);

    /** Opens new admin connections with {@code password}, which the server already takes (set by another process). */
    void useAdminPassword(String server, String password);
}
