package io.paasbroker.provisioner.local.boot;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AdminPasswordRotation;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.host.ReplicaLock;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the admin password of a configured shared server without downtime, in steps a crash can interrupt anywhere:
 * the new password is stored as {@code pending} before the server is changed, and becomes the {@code password} after.
 * A {@code pending} left behind is settled (at start-up, and before the next rotation) by asking the server which of
 * the two it takes.
 */
public final class AdminPasswordRotator {

    private static final Logger log = LoggerFactory.getLogger(AdminPasswordRotator.class);

    private final LocalProvisioners provisioners;
    private final ServerAdminPasswords passwords;
    private final Clock clock;
    private final ReplicaLock replicas;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** The password this replica's admin connections use, by server, as last settled, rotated or followed. */
    private final Map<String, String> inUse = new ConcurrentHashMap<>();

    public AdminPasswordRotator(
            LocalProvisioners provisioners, ServerAdminPasswords passwords, Clock clock, ReplicaLock replicas) {
        this.provisioners = provisioners;
        this.passwords = passwords;
        this.clock = clock;
        this.replicas = replicas;
    }

    /**
     * Gives the server a new admin password and the broker's connections with it; connections already open keep
     * serving steps in flight. Rotations of one server run one at a time, on this replica and across replicas.
     *
     * @return when the server took the new password
     * @throws UnknownServerException when no configured server has that kind and name
     * @throws ProvisionerException when the server could not be reached or refused; a {@code pending} may be left
     */
    public Instant rotate(String kindKey, String server) {
        ServiceKind kind = kind(kindKey, server);
        AdminPasswordRotation rotation = rotation(kind, server);
        synchronized (lock(kind, server)) {
            try (ReplicaLock.Held held = replicas.acquire("admin password of " + key(kind, server))) {
                return rotateHolding(kind, server, rotation);
            }
        }
    }

    private Instant rotateHolding(ServiceKind kind, String server, AdminPasswordRotation rotation) {
        settle(kind, server, rotation);
        ServerAdminPasswords.Entry current = passwords
                .entry(kind, server)
                .orElseThrow(() -> new IllegalStateException(
                        "no entry at " + ServerAdminPasswords.ref(kind, server) + " for a configured server"));
        String next = Passwords.generate();
        passwords.write(kind, server, new ServerAdminPasswords.Entry(current.password(), next));
        rotation.rotateAdminPassword(server, next);
        passwords.write(kind, server, new ServerAdminPasswords.Entry(next, null));
        inUse.put(key(kind, server), next);
        Instant rotated = clock.instant();
        log.info("Rotated the admin password of the {} server '{}'", kind.key(), server);
        return rotated;
    }

    /** Settles every configured server's {@code pending}; a server that cannot be asked now is left for later. */
    public void settleAll() {
        provisioners
                .configuredServers()
                .forEach((kind, servers) -> servers.forEach(server -> {
                    // a pending may be another replica's rotation under way: settle only what no replica is rotating
                    try (ReplicaLock.Held held = replicas.acquire("admin password of " + key(kind, server))) {
                        AdminPasswordRotation rotation = rotation(kind, server);
                        settle(kind, server, rotation);
                        // a rotation may have ended since this replica's connections were set up: use what is stored
                        passwords.entry(kind, server).ifPresent(e -> {
                            rotation.useAdminPassword(server, e.password());
                            inUse.put(key(kind, server), e.password());
                        });
                    } catch (ProvisionerException e) {
                        log.warn(
                                "The admin password rotation of the {} server '{}' is unfinished and stays so until the next"
                                        + " start or rotation: {}",
                                kind.key(),
                                server,
                                e.getMessage());
                    }
                }));
    }

    /**
     * Takes up a password another replica rotated to: a stored password that differs from the one in use here and
     * that the server takes. An entry with a {@code pending} is a rotation under way, left to its replica; or one that
     * ended half-way (the server or the store failed), which is settled here once no replica holds the server.
     */
    public void followStoredPasswords() {
        provisioners
                .configuredServers()
                .forEach((kind, servers) -> servers.forEach(server -> {
                    synchronized (lock(kind, server)) {
                        ServerAdminPasswords.Entry entry =
                                passwords.entry(kind, server).orElse(null);
                        if (entry != null && entry.pending() != null) {
                            entry = settledIfNoneRotates(kind, server);
                        }
                        if (entry == null
                                || entry.pending() != null
                                || entry.password().equals(inUse.get(key(kind, server)))) {
                            return;
                        }
                        try {
                            AdminPasswordRotation rotation = rotation(kind, server);
                            if (rotation.acceptsAdminPassword(server, entry.password())) {
                                rotation.useAdminPassword(server, entry.password());
                                inUse.put(key(kind, server), entry.password());
                                log.info(
                                        "Took up the admin password another replica set for the {} server '{}'",
                                        kind.key(),
                                        server);
                            }
                        } catch (ProvisionerException e) {
                            log.warn(
                                    "Could not check the stored admin password of the {} server '{}': {}",
                                    kind.key(),
                                    server,
                                    e.getMessage());
                        }
                    }
                }));
    }

    /** The entry after settling its {@code pending}, if no replica is rotating the server; else as it is. */
    private ServerAdminPasswords.Entry settledIfNoneRotates(ServiceKind kind, String server) {
        Optional<ReplicaLock.Held> held = replicas.tryAcquire("admin password of " + key(kind, server));
        if (held.isPresent()) {
            try (ReplicaLock.Held rotating = held.get()) {
                settle(kind, server, rotation(kind, server));
            } catch (ProvisionerException e) {
                log.warn(
                        "The unfinished admin password rotation of the {} server '{}' cannot be settled yet: {}",
                        kind.key(),
                        server,
                        e.getMessage());
            }
        }
        return passwords.entry(kind, server).orElse(null);
    }

    /** After a crash between storing {@code pending} and storing it as the password: whichever the server takes. */
    private void settle(ServiceKind kind, String server, AdminPasswordRotation rotation) {
        ServerAdminPasswords.Entry entry = passwords.entry(kind, server).orElse(null);
        if (entry == null || entry.pending() == null) {
            return;
        }
        for (String candidate : new String[] {entry.pending(), entry.password()}) {
            if (candidate != null && rotation.acceptsAdminPassword(server, candidate)) {
                rotation.useAdminPassword(server, candidate);
                passwords.write(kind, server, new ServerAdminPasswords.Entry(candidate, null));
                inUse.put(key(kind, server), candidate);
                log.info("Settled the unfinished admin password rotation of the {} server '{}'", kind.key(), server);
                return;
            }
        }
        throw new ProvisioningFailedException(
                "the " + kind.key() + " server '" + server + "' takes neither the stored admin password nor the"
                        + " pending one: store the one it takes at " + ServerAdminPasswords.ref(kind, server)
                        + " (field password, no pending) and restart the broker");
    }

    private AdminPasswordRotation rotation(ServiceKind kind, String server) {
        return provisioners
                .rotation(kind, server)
                .orElseThrow(() -> new UnknownServerException(
                        "no " + kind.key() + " server named '" + server + "' is configured"));
    }

    private static ServiceKind kind(String key, String server) {
        try {
            return ServiceKind.fromKey(key);
        } catch (IllegalArgumentException e) {
            throw new UnknownServerException("no " + key + " server named '" + server + "' is configured");
        }
    }

    private Object lock(ServiceKind kind, String server) {
        return locks.computeIfAbsent(key(kind, server), key -> new Object());
    }

    private static String key(ServiceKind kind, String server) {
        return kind.key() + "/" + server;
    }
}
