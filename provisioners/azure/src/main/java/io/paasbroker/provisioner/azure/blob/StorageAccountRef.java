package io.paasbroker.provisioner.azure.blob;

/** An operator's storage account a plan names, and which of its keys the broker signs with. */
public interface StorageAccountRef {

    /** The account's resource id. */
    String accountId();

    /** The account's name. */
    String storageAccount();

    /** {@code key1} or {@code key2}. */
    String signingKey();
}
