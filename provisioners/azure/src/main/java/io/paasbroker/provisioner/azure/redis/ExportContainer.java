package io.paasbroker.provisioner.azure.redis;

import io.paasbroker.provisioner.azure.AzureResources;
import io.paasbroker.provisioner.azure.blob.StorageAccountRef;

/**
 * The container, in an operator's storage account, that a plan's caches export their backups to: each backup a
 * directory of its own there, named as the broker names the backup. The broker signs the SAS that lets Azure write
 * and read it with the account's {@code key1}.
 */
record ExportContainer(String subscriptionId, String resourceGroup, String storageAccount, String container)
        implements StorageAccountRef {

    @Override
    public String accountId() {
        return AzureResources.id(subscriptionId, resourceGroup, "Microsoft.Storage/storageAccounts", storageAccount);
    }

    @Override
    public String signingKey() {
        return "key1";
    }
}
