package io.paasbroker.broker.backup;

import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.backup.BackupRecord.Storage;
import io.paasbroker.broker.state.AdvisoryLock;
import io.paasbroker.broker.state.InstanceRecord;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
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
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes and restores backups. Where the provisioner offers snapshots, a backup is one the provider keeps: named and
 * recorded first, polled until done, deleted when it expires or was cut short. Otherwise a backup is streamed: written
 * by the provisioner into an encrypting stream and a local file,
 * checksummed as it is written, then stored whole; its row becomes {@code completed} only after that, so nothing
 * partial is ever offered. A restore fetches the object to a file, checks its SHA-256 against the row, and only then
 * decrypts it into the provisioner. Memory stays bounded by the cipher's chunk whatever the size of the data.
 */
public class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    /** As long as a program run for a tenant may take. */
    private static final Duration SNAPSHOT_LIMIT = Duration.ofHours(6);

    private final BackupRepository repository;
    private final BackupStore store;
    private final Supplier<BackupCipher> cipherSource;
    private final Path work;
    private final Clock clock;
    private final AdvisoryLock locks;
    private final Function<BackupRecord, Optional<InstanceSnapshots>> snapshotsOf;
    private final Duration snapshotPollInterval;
    private volatile BackupCipher cipher;

    /**
     * @param cipher where the backup key comes from; asked at the first backup or restore, so that a broker that
     *     never backs anything up creates no key
     * @param snapshotsOf who keeps the snapshot of a backup: the provisioner of its plan
     * @param snapshotPollInterval how long to wait before asking again whether a snapshot is done
     */
    public Backups(
            BackupRepository repository,
            BackupStore store,
            Supplier<BackupCipher> cipher,
            Path work,
            Clock clock,
            AdvisoryLock locks,
            Function<BackupRecord, Optional<InstanceSnapshots>> snapshotsOf,
            Duration snapshotPollInterval) {
        this.repository = repository;
        this.snapshotsOf = snapshotsOf;
        this.snapshotPollInterval = snapshotPollInterval;
        this.locks = locks;
        this.store = store;
        this.cipherSource = cipher;
        this.work = OwnerOnlyDirectory.create(work);
        this.clock = clock;
    }

    /** What a backup is of: the instance as recorded, the request its provisioner works with, and the provisioner. */
    public record Subject(InstanceRecord instance, InstanceRequest request, ServiceProvisioner provisioner) {}

    /**
     * Backs the instance up now and returns the completed backup: a snapshot the provider keeps where the provisioner
     * offers them, else a stream into the backup store.
     *
     * @param keep how long the backup is kept; null: until deleted
     * @param operationId the operation that asked for it, if one did
     * @throws ProvisionerException when the service has no backups, the backing service or the store failed, or
     *     another backup of the instance is running; the backup is then recorded as failed
     */
    public BackupRecord backUp(
            Subject subject, Kind kind, Duration keep, String operationId, String originatingIdentity) {
        Optional<InstanceSnapshots> snapshots =
                subject.provisioner().snapshots(subject.request().plan());
        InstanceBackups streamed = snapshots.isPresent() ? null : backupsOf(subject.provisioner());
        // held while the backup runs, on any replica, and released with its connection if the replica dies
        Optional<ReplicaLock.Held> running =
                locks.tryAcquire("backup of " + subject.instance().id());
        if (running.isEmpty()) {
            throw new BackingServiceUnavailableException(
                    "another backup of this instance is running; try again when it ends", null);
        }
        try (ReplicaLock.Held held = running.get()) {
            settleInterrupted(subject.instance().id(), subject.provisioner().snapshots());
            return snapshots.isPresent()
                    ? snapshotHolding(subject, snapshots.get(), kind, keep, operationId, originatingIdentity)
                    : streamHolding(subject, streamed, kind, keep, operationId, originatingIdentity);
        }
    }

    /** Rows still shown running were cut short (this replica holds the instance's lock): their snapshots go too. */
    private void settleInterrupted(String instanceId, Optional<InstanceSnapshots> snapshots) {
        for (BackupRecord interrupted : repository.failInterrupted(instanceId)) {
            if (interrupted.storage() == Storage.SNAPSHOT && snapshots.isPresent()) {
                deleteSnapshotQuietly(snapshots.get(), interrupted.objectKey());
            }
        }
    }

    /** Records the backup as running before anything is taken, so that a crash leaves a row to settle. */
    private BackupRecord recordRunning(
            Subject subject,
            Kind kind,
            String format,
            Storage storage,
            String originatingIdentity,
            String operationId) {
        InstanceRecord instance = subject.instance();
        String id = UUID.randomUUID().toString();
        String objectKey = storage == Storage.SNAPSHOT
                ? "pb-" + ResourceNames.hash(id, 24)
                : "instances/" + ResourceNames.hash(instance.id(), 32) + "/" + id + ".pbbk";
        BackupRecord backup = new BackupRecord(
                id,
                instance.id(),
                instance.serviceId(),
                instance.planId(),
                kind,
                BackupRecord.State.RUNNING,
                null,
                format,
                storage,
                objectKey,
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
        return backup;
    }

    /** Takes a snapshot and waits until the provider keeps it whole; a snapshot cut short is deleted. */
    private BackupRecord snapshotHolding(
            Subject subject,
            InstanceSnapshots snapshots,
            Kind kind,
            Duration keep,
            String operationId,
            String originatingIdentity) {
        BackupRecord backup =
                recordRunning(subject, kind, snapshots.format(), Storage.SNAPSHOT, originatingIdentity, operationId);
        try {
            Instant deadline = clock.instant().plus(SNAPSHOT_LIMIT);
            StepOutcome outcome = snapshots.startSnapshot(subject.request(), backup.objectKey());
            while (outcome instanceof StepOutcome.InProgress progress) {
                if (clock.instant().isAfter(deadline)) {
                    throw new ProvisioningFailedException("the snapshot was not done after " + SNAPSHOT_LIMIT.toHours()
                            + " hours: " + progress.description());
                }
                pause(snapshotPollInterval);
                outcome = snapshots.pollSnapshot(subject.request(), backup.objectKey());
            }
            return completed(backup, null, null, keep);
        } catch (RuntimeException e) {
            repository.fail(backup.id(), "failed: " + e.getMessage());
            deleteSnapshotQuietly(snapshots, backup.objectKey());
            throw asProvisionerFailure(e);
        }
    }

    private BackupRecord completed(BackupRecord backup, Long size, String sha256, Duration keep) {
        Instant expires = keep == null ? null : clock.instant().plus(keep);
        if (!repository.complete(backup.id(), size, sha256, expires)) {
            // its lock went with a lost connection, and another backup of the instance took over
            throw new ProvisioningFailedException("the backup was marked interrupted while it ran; it is not kept");
        }
        log.info(
                "Backup {} of instance {} ({}, {}) completed{}",
                backup.id(),
                backup.instanceId(),
                backup.kind().column(),
                backup.storage().column(),
                size == null ? "" : ": " + size + " bytes");
        return repository.find(backup.id()).orElseThrow();
    }

    /** Streams the backup through the cipher into a file, then into the store. */
    private BackupRecord streamHolding(
            Subject subject,
            InstanceBackups backups,
            Kind kind,
            Duration keep,
            String operationId,
            String originatingIdentity) {
        BackupRecord backup =
                recordRunning(subject, kind, backups.format(), Storage.STREAM, originatingIdentity, operationId);
        Path file = work.resolve(backup.id() + ".pbbk");
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
            return completed(backup, size, HexFormat.of().formatHex(sha256.digest()), keep);
        } catch (IOException | RuntimeException e) {
            repository.fail(backup.id(), "failed: " + e.getMessage());
            if (stored) {
                quietlyDelete(backup.objectKey());
            }
            throw asProvisionerFailure(e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static ProvisionerException asProvisionerFailure(Exception e) {
        return e instanceof ProvisionerException failure
                ? failure
                : new ProvisioningFailedException("the backup could not be taken: " + e.getMessage());
    }

    /**
     * Starts making the instance {@code into} from a snapshot backup: its provision step, polled like any. The
     * snapshot must be of the format the plan's provisioner makes.
     */
    public StepOutcome startRestoreFromSnapshot(
            BackupRecord backup, ServiceProvisioner provisioner, InstanceRequest into) {
        InstanceSnapshots snapshots = provisioner
                .snapshots(into.plan())
                .orElseThrow(() -> new ProvisioningFailedException("backup " + backup.id()
                        + " is a snapshot, which plan '" + into.plan().name() + "' cannot restore"));
        if (!snapshots.format().equals(backup.format())) {
            throw new ProvisioningFailedException("backup " + backup.id() + " is a snapshot in format "
                    + backup.format() + ", which this plan's provisioner does not read (it reads "
                    + snapshots.format() + ")");
        }
        return snapshots.restoreSnapshot(into, backup.objectKey());
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

    /** Deletes the backup's object or snapshot, then marks it deleted. */
    public void delete(BackupRecord backup) {
        if (backup.storage() == Storage.SNAPSHOT) {
            snapshotsOf
                    .apply(backup)
                    .orElseThrow(() -> new ProvisioningFailedException("the plan of backup " + backup.id()
                            + " is not in the catalog, or its provisioner keeps no snapshots: its snapshot "
                            + backup.objectKey() + " cannot be deleted now"))
                    .deleteSnapshot(backup.objectKey());
        } else {
            store.delete(backup.objectKey());
        }
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

    private static void deleteSnapshotQuietly(InstanceSnapshots snapshots, String name) {
        try {
            snapshots.deleteSnapshot(name);
        } catch (RuntimeException e) {
            log.warn("Could not delete snapshot {} of a backup that did not complete: {}", name, e.getMessage());
        }
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException("interrupted while waiting for a snapshot", e);
        }
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
