package io.paasbroker.provisioner.azure.blob;

import io.paasbroker.provisioner.azure.AzureResources;

/**
 * The provisioner properties of a Blob Storage plan: the operator's storage account each instance gets a container
 * in, and what its bindings get.
 *
 * @param subscriptionId the subscription of the storage account
 * @param resourceGroup the account's resource group
 * @param storageAccount the account, which the operator makes and secures: secure transfer required, no public blob
 *     access, TLS 1.2 at least (checked at start-up and by health); its keys sign the bindings' SAS
 * @param signingKey which of the account's keys signs the SAS, {@code key1} (the default) or {@code key2}: the other
 *     can be rotated without breaking a binding; rotating this one breaks every binding's SAS
 * @param bindingExpiryDays how many days a binding's SAS works, unless it is unbound before; 3650 by default
 * @param deleteNonEmptyContainers whether deleting an instance deletes the blobs its container holds; otherwise the
 *     deletion of a container that holds blobs is refused, and changes nothing
 */
record BlobPlan(
        String subscriptionId,
        String resourceGroup,
        String storageAccount,
        String signingKey,
        Integer bindingExpiryDays,
        boolean deleteNonEmptyContainers)
        implements StorageAccountRef {

    static final String ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts";

    BlobPlan {
        signingKey = signingKey == null ? "key1" : signingKey;
        bindingExpiryDays = bindingExpiryDays == null ? 3650 : bindingExpiryDays;
    }

    @Override
    public String accountId() {
        return AzureResources.id(subscriptionId, resourceGroup, ACCOUNT_TYPE, storageAccount);
    }

    /** The resource id of {@code container} in the account. */
    String containerId(String container) {
        return accountId() + "/blobServices/default/containers/" + container;
    }
}
