package io.paasbroker.provisioner.azure.redis;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import io.paasbroker.provisioner.azure.arm.ArmRefusal;
import io.paasbroker.provisioner.azure.arm.ArmResponse;
import io.paasbroker.provisioner.azure.arm.LongRunningOperation;
import io.paasbroker.provisioner.azure.blob.ContainerAccess;
import io.paasbroker.provisioner.azure.blob.StorageAccounts;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backups of Azure Managed Redis caches as Azure takes them: an export of the cache's data (RDB files) into a
 * directory of the plan's backup container named as the broker names the backup, and a restore that imports those
 * files into a new cache once it is made. The broker signs each SAS Azure writes or reads with (the storage account's
 * key, HTTPS only, valid {@link #SAS_LIFETIME}), and keeps the export's operation in the directory too
 * ({@value #OPERATION_BLOB}), so any replica polls it. The files stay in the operator's account until the backup
 * expires or is deleted; deleting the cache keeps them.
 */
final class ManagedRedisSnapshots implements InstanceSnapshots {

    static final String FORMAT = "azure-managed-redis-export/1";

    /** The blob of a backup's directory that names the export's long-running operation. */
    static final String OPERATION_BLOB = "export-operation";

    /** Azure asks that an export's or import's SAS be valid for an hour at least. */
    private static final Duration SAS_LIFETIME = Duration.ofHours(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedRedisProvisioner provisioner;
    private final StorageAccounts accounts;
    private final ContainerAccess access;
    /** The backup containers of the plans checked so far: where a backup of any of them may be. */
    private final Set<ExportContainer> containers = ConcurrentHashMap.newKeySet();

    ManagedRedisSnapshots(ManagedRedisProvisioner provisioner, ArmClient arm, ContainerAccess access) {
        this.provisioner = provisioner;
        this.accounts = new StorageAccounts(arm);
        this.access = access;
    }

    /** Remembers a plan's backup container. */
    void add(ExportContainer container) {
        containers.add(container);
        accounts.add(container);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** Asks Azure to export the cache into the backup's directory, unless a first run of the step did. */
    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        ExportContainer exports = exports(instance);
        BlobContainerClient container = container(exports);
        if (exists(container, name + "/" + OPERATION_BLOB)
                || !files(container, name).isEmpty()) {
            return pollSnapshot(instance, name);
        }
        String cache = provisioner.cache(instance.instanceId());
        String directory = container.getBlobContainerUrl() + "/" + name + "?"
                + container.generateSas(new BlobServiceSasSignatureValues(
                                OffsetDateTime.now().plus(SAS_LIFETIME), BlobContainerSasPermission.parse("racwdl"))
                        .setProtocol(SasProtocol.HTTPS_ONLY));
        ObjectNode body = JSON.createObjectNode().put("sasUri", directory);
        String doing = "exporting cache " + cache + " as backup " + name;
        ArmResponse started;
        try {
            started = provisioner
                    .arm()
                    .post(databaseId(instance), "export", ManagedRedisProvisioner.API_VERSION, body, doing);
        } catch (ArmRefusal e) {
            if (!e.is(409)) {
                throw e;
            }
            return new StepOutcome.InProgress(name, "cache " + cache + " is busy; backup " + name + " waits for it");
        }
        started.operation()
                .ifPresent(operation -> ContainerAccess.call("keeping the export operation of backup " + name, () -> {
                    container
                            .getBlobClient(name + "/" + OPERATION_BLOB)
                            .upload(BinaryData.fromString(operation.reference()), true);
                    return null;
                }));
        return new StepOutcome.InProgress(name, "Azure is " + doing);
    }

    /** Done once Azure's export succeeded and wrote its files; a failed export fails the backup with Azure's reason. */
    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        BlobContainerClient container = container(exports(instance));
        String cache = provisioner.cache(instance.instanceId());
        String doing = "exporting cache " + cache + " as backup " + name;
        String operationBlob = name + "/" + OPERATION_BLOB;
        boolean asked = exists(container, operationBlob);
        if (asked) {
            LongRunningOperation operation = LongRunningOperation.ofReference(ContainerAccess.call(
                    "reading the export operation of backup " + name,
                    () -> container
                            .getBlobClient(operationBlob)
                            .downloadContent()
                            .toString()));
            LongRunningOperation.State state = provisioner.arm().operationState(operation, doing);
            switch (state.status()) {
                case RUNNING -> {
                    return new StepOutcome.InProgress(name, "Azure is " + doing);
                }
                case FAILED -> throw new ProvisioningFailedException("Azure failed " + doing + ": " + state.reason());
                case SUCCEEDED -> {}
            }
        }
        List<String> files = files(container, name);
        if (files.isEmpty()) {
            if (asked) {
                throw new ProvisioningFailedException("Azure reports " + doing + " done, and wrote no file");
            }
            return startSnapshot(instance, name);
        }
        return StepOutcome.Completed.with(Map.of("backup", name, "files", String.valueOf(files.size())));
    }

    /** Deletes the backup's directory from whichever backup container holds it. */
    @Override
    public void deleteSnapshot(String name) {
        for (ExportContainer exports : containers) {
            BlobContainerClient container = container(exports);
            for (BlobItem blob : ContainerAccess.call(
                    "listing backup " + name,
                    () -> container.listBlobs(prefix(name), null).stream().toList())) {
                ContainerAccess.call("deleting backup " + name, () -> {
                    container.getBlobClient(blob.getName()).deleteIfExists();
                    return null;
                });
            }
        }
    }

    /** Makes the new instance's cache, which imports the backup's files once it is ready. */
    @Override
    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
        for (ExportContainer exports : containers) {
            if (!files(container(exports), name).isEmpty()) {
                return provisioner.restore(into, source(exports, name));
            }
        }
        throw new ProvisioningFailedException("backup " + name + " is gone from every plan's backup container: its"
                + " files were deleted outside the broker");
    }

    /** The SAS URLs, read only, of the files of the backup a restore names ({@link #source}). */
    List<String> importUrls(String source) {
        for (ExportContainer exports : containers) {
            String prefix = exports.storageAccount() + "/" + exports.container() + "/";
            if (source.startsWith(prefix)) {
                String name = source.substring(prefix.length());
                BlobContainerClient container = container(exports);
                List<String> urls = files(container, name).stream()
                        .map(file -> {
                            BlobClient blob = container.getBlobClient(file);
                            return blob.getBlobUrl() + "?"
                                    + blob.generateSas(new BlobServiceSasSignatureValues(
                                                    OffsetDateTime.now().plus(SAS_LIFETIME),
                                                    BlobSasPermission.parse("r"))
                                            .setProtocol(SasProtocol.HTTPS_ONLY));
                        })
                        .toList();
                if (!urls.isEmpty()) {
                    return urls;
                }
            }
        }
        throw new ProvisioningFailedException("backup " + source + " is gone: its files were deleted while the"
                + " new cache was made; delete this service instance");
    }

    /** What a restore remembers of its backup (in the new cache's tag): account, container and name. */
    private static String source(ExportContainer exports, String name) {
        return exports.storageAccount() + "/" + exports.container() + "/" + name;
    }

    /** The RDB files Azure exported into the backup's directory. */
    private static List<String> files(BlobContainerClient container, String name) {
        return ContainerAccess.call(
                "listing backup " + name,
                () -> container.listBlobs(prefix(name), null).stream()
                        .map(BlobItem::getName)
                        .filter(file -> !file.endsWith("/" + OPERATION_BLOB))
                        .toList());
    }

    private static boolean exists(BlobContainerClient container, String blob) {
        return ContainerAccess.call(
                "reading " + blob, () -> container.getBlobClient(blob).exists());
    }

    private static ListBlobsOptions prefix(String name) {
        return new ListBlobsOptions().setPrefix(name + "/");
    }

    private ExportContainer exports(InstanceRequest instance) {
        Optional<ExportContainer> exports =
                ManagedRedisProvisioner.plan(instance.plan()).exports();
        return exports.orElseThrow(() -> new ProvisioningFailedException(
                "plan '" + instance.plan().name() + "' names no backup_storage_account: its caches have no backups"));
    }

    private BlobContainerClient container(ExportContainer exports) {
        StorageAccounts.Account account = accounts.secure(exports);
        return access.asAccount(
                account.blobEndpoint(), exports.storageAccount(), accounts.key(exports), exports.container());
    }

    private String databaseId(InstanceRequest instance) {
        ManagedRedisPlan plan = ManagedRedisProvisioner.plan(instance.plan());
        return plan.cacheId(provisioner.cache(instance.instanceId())) + "/databases/"
                + ManagedRedisProvisioner.DATABASE;
    }
}
