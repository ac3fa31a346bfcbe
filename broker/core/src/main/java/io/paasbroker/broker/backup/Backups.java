package io.paasbroker.broker.backup;

import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.host.OwnerOnlyDirectory;
import io.paasbroker.provisioner.host.ReplicaLock;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes and restores backups. A backup is written by the provisioner into an encrypting stream and a local file,
 * checksummed as it is written, then stored whole; its row becomes {@code completed} only after that, so nothing
 * partial is ever offered. A restore fetches the object to a file, checks its SHA-256 against the row, and only then
 * decrypts it into the provisioner. Memory stays bounded by the cipher's chunk whatever the size of the data.
 */
public class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);

    private final BackupRepository repository;
    private final BackupStore store;
    private final Supplier<BackupCipher> cipherSource;
    private final Path work;
    private final Clock clock;
    private final AdvisoryLock locks;
    private volatile BackupCipher cipher;

    /**
     * @param cipher where the backup key comes from; asked at the first backup or restore, so that a broker that
     *     never backs anything up creates no key
     */
    public Backups(
            BackupRepository repository,
            BackupStore store,
            Supplier<BackupCipher> cipher,
            Path work,
            Clock clock,
            AdvisoryLock locks) {
        this.repository = repository;
        this.locks = locks;
        this.store = store;
        this.cipherSource = cipher;
        this.work = OwnerOnlyDirectory.create(work);
        this.clock = clock;
    }

    /** What a backup is of: the instance as recorded, the request its provisioner works with, and the provisioner. */
    public record Subject(InstanceRecord instance, InstanceRequest request, ServiceProvisioner provisioner) {}

    /**
     * Backs the instance up now and returns the completed backup.
     *
     * @param keep how long the backup is kept; null: until deleted
     * @param operationId the operation that asked for it, if one did
     * @throws ProvisionerException when the service has no backups, the backing service or the store failed, or
     *     another backup of the instance is running; the backup is then recorded as failed
     */
    public BackupRecord backUp(
            Subject subject, Kind kind, Duration keep, String operationId, String originatingIdentity) {
        InstanceBackups backups = backupsOf(subject.provisioner());
        // held while the backup runs, on any replica, and released with its connection if the replica dies
        Optional<ReplicaLock.Held> running =
                locks.tryAcquire("backup of " + subject.instance().id());
        if (running.isEmpty()) {
            throw new BackingServiceUnavailableException(
                    "another backup of this instance is running; try again when it ends", null);
        }
        try (ReplicaLock.Held held = running.get()) {
            return backUpHolding(subject, backups, kind, keep, operationId, originatingIdentity);
        }
    }

    /** Runs the backup while no other one of the instance can: a row still shown running was cut short. */
    private BackupRecord backUpHolding(
            Subject subject,
            InstanceBackups backups,
            Kind kind,
            Duration keep,
            String operationId,
            String originatingIdentity) {
        InstanceRecord instance = subject.instance();
        repository.failInterrupted(instance.id());
        String id = UUID.randomUUID().toString();
        BackupRecord backup = new BackupRecord(
                id,
                instance.id(),
                instance.serviceId(),
                instance.planId(),
                kind,
                BackupRecord.State.RUNNING,
                null,
                backups.format(),
                "instances/" + ResourceNames.hash(instance.id(), 32) + "/" + id + ".pbbk",
                null,
                null,
                instance.organizationGuid(),
                instance.spaceGuid(),
                contextValue(instance, "namespace"),
                contextValue(instance, "platform"),
                originatingIdentity,
                operationId,
                null,
                null,
                null);
        if (!repository.insertRunning(backup)) {
            throw new BackingServiceUnavailableException(
                    "another backup of this instance is running; try again when it ends", null);
        }
        Path file = work.resolve(id + ".pbbk");
        boolean stored = false;
        try {
            MessageDigest sha256 = sha256();
            try (OutputStream encrypted = cipher().encrypting(
                            new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file)), sha256))) {
                backups.backup(subject.request(), encrypted);
            }
            long size = Files.size(file);
            store.put(backup.objectKey(), file);
            stored = true;
            Instant expires = keep == null ? null : clock.instant().plus(keep);
            if (!repository.complete(id, size, HexFormat.of().formatHex(sha256.digest()), expires)) {
                // its lock went with a lost connection, and another backup of the instance took over
                throw new ProvisioningFailedException("the backup was marked interrupted while it ran; it is not kept");
            }
            log.info("Backup {} of instance {} ({}) completed: {} bytes", id, instance.id(), kind.column(), size);
            return repository.find(id).orElseThrow();
        } catch (IOException | RuntimeException e) {
            repository.fail(id, "failed: " + e.getMessage());
            if (stored) {
                quietlyDelete(backup.objectKey());
            }
            if (e instanceof ProvisionerException failure) {
                throw failure;
            }
            throw new ProvisioningFailedException("the backup could not be taken: " + e.getMessage());
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Restores {@code backup} into the instance {@code into}: fetched whole, its checksum verified, then decrypted
     * into the provisioner as a stream.
     */
    public void restore(BackupRecord backup, ServiceProvisioner provisioner, InstanceRequest into) {
        InstanceBackups backups = backupsOf(provisioner);
        if (!backups.format().equals(backup.format())) {
            throw new ProvisioningFailedException("backup " + backup.id() + " is in format " + backup.format()
                    + ", which this plan's provisioner does not read (it reads " + backups.format() + ")");
        }
        Path file = work.resolve("restore-" + UUID.randomUUID() + ".pbbk");
        try {
            store.get(backup.objectKey(), file);
            String actual = checksum(file);
            if (!actual.equals(backup.sha256())) {
                throw new ProvisioningFailedException("backup " + backup.id()
                        + " is damaged: its stored object does not match the checksum taken when it was made; nothing"
                        + " was restored");
            }
            try (InputStream in = cipher().decrypting(Files.newInputStream(file))) {
                backups.restore(into, in);
            }
        } catch (BackupStoreException e) {
            throw new ProvisioningFailedException("backup " + backup.id() + " could not be fetched: " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new ProvisioningFailedException(
                    "backup " + backup.id() + " could not be restored: " + e.getMessage());
        } finally {
            deleteQuietly(file);
        }
    }

    public Optional<BackupRecord> find(String id) {
        return repository.find(id);
    }

    /** Whether the operation took a backup that completed (a repeated step need not take it again). */
    public boolean takenBy(String operationId) {
        return repository.completedByOperation(operationId);
    }

    /** Whether backups have somewhere to go. */
    public boolean hasStore() {
        return !(store instanceof NoBackupStore);
    }

    public List<BackupRecord> of(String instanceId) {
        return repository.of(instanceId);
    }

    /** Deletes the backup's object, then marks it deleted. */
    public void delete(BackupRecord backup) {
        store.delete(backup.objectKey());
        repository.markDeleted(backup.id());
        log.info("Backup {} of instance {} deleted", backup.id(), backup.instanceId());
    }

    /** Deletes every backup whose retention has ended; returns how many. One the store refuses is tried next round. */
    public int deleteExpired() {
        int deleted = 0;
        for (BackupRecord backup : repository.expired(clock.instant())) {
            try {
                delete(backup);
                deleted++;
            } catch (RuntimeException e) {
                log.warn("Expired backup {} could not be deleted yet: {}", backup.id(), e.getMessage());
            }
        }
        return deleted;
    }

    public String storeDescription() {
        return store.describe();
    }

    private BackupCipher cipher() {
        BackupCipher known = cipher;
        if (known == null) {
            synchronized (this) {
                if (cipher == null) {
                    cipher = cipherSource.get();
                }
                known = cipher;
            }
        }
        return known;
    }

    private static InstanceBackups backupsOf(ServiceProvisioner provisioner) {
        return provisioner
                .backups()
                .orElseThrow(() -> new ProvisioningFailedException(
                        "the " + provisioner.kind().key() + " plans of provisioner '" + provisioner.name()
                                + "' have no backups"));
    }

    private static String checksum(Path file) throws IOException {
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String contextValue(InstanceRecord instance, String key) {
        Object value = instance.context().get(key);
        return value == null ? null : value.toString();
    }

    private void quietlyDelete(String key) {
        try {
            store.delete(key);
        } catch (BackupStoreException e) {
            log.warn("Could not delete the object of a failed backup: {}", e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete the temporary backup file {}: {}", file, e.getMessage());
        }
    }
}
