package io.paasbroker.provisioner.azure.redis;

import io.paasbroker.provisioner.azure.AzureResources;
import java.util.Optional;

/**
 * The provisioner properties of an Azure Managed Redis plan: where each instance's cache goes and what it is made
 * with.
 *
 * @param subscriptionId the Azure subscription the caches go into
 * @param resourceGroup the resource group there, which the operator makes
 * @param location the Azure region: {@code uksouth}, {@code westeurope}, ...
 * @param sku the size and kind: {@code Balanced_B0}, {@code MemoryOptimized_M10}, {@code ComputeOptimized_X3}, ...
 * @param highAvailability whether Azure keeps a replica of the cache (on by default, as Azure's own default)
 * @param clusteringPolicy {@code EnterpriseCluster} (the default: one endpoint any Redis client speaks to),
 *     {@code OSSCluster} (faster, for cluster-aware clients) or {@code NoCluster} (small caches); fixed once the cache
 *     is made
 * @param evictionPolicy what Redis evicts when memory is full, as Azure names it: {@code VolatileLRU} (Azure's
 *     default), {@code NoEviction}, {@code AllKeysLRU}, ...
 * @param persistence {@code none} (the default), {@code rdb} (a snapshot every hour) or {@code aof} (every write
 *     logged each second)
 * @param publicNetworkAccess whether the caches are reachable on their public address ({@code Enabled}, the default)
 *     or only through private endpoints the operator makes ({@code Disabled})
 * @param backupStorageAccount the operator's storage account, in the plan's resource group and region, that backups
 *     are exported to (Azure's export and import); none: the plan has no backups
 * @param backupContainer the container there, which the operator makes private; {@code redis-backups} by default
 */
record ManagedRedisPlan(
        String subscriptionId,
        String resourceGroup,
        String location,
        String sku,
        Boolean highAvailability,
        String clusteringPolicy,
        String evictionPolicy,
        String persistence,
        String publicNetworkAccess,
        String backupStorageAccount,
        String backupContainer) {

    static final String TYPE = "Microsoft.Cache/redisEnterprise";

    ManagedRedisPlan {
        highAvailability = highAvailability == null || highAvailability;
        clusteringPolicy = clusteringPolicy == null ? "EnterpriseCluster" : clusteringPolicy;
        evictionPolicy = evictionPolicy == null ? "VolatileLRU" : evictionPolicy;
        persistence = persistence == null ? "none" : persistence;
        publicNetworkAccess = publicNetworkAccess == null ? "Enabled" : publicNetworkAccess;
        backupContainer = backupContainer == null ? "redis-backups" : backupContainer;
    }

    /** Where the plan's backups go, when it has them. */
    Optional<ExportContainer> exports() {
        return Optional.ofNullable(backupStorageAccount)
                .map(account -> new ExportContainer(subscriptionId, resourceGroup, account, backupContainer));
    }

    /** The resource id of cache {@code name}. */
    String cacheId(String name) {
        return AzureResources.id(subscriptionId, resourceGroup, TYPE, name);
    }
}
