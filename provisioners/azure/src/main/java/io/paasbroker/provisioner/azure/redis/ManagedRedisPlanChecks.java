package io.paasbroker.provisioner.azure.redis;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.azure.AzureResources;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Azure would refuse of an Azure Managed Redis plan, refused at start-up instead of at each provision, and the
 * plan changes Azure cannot make to an existing cache, refused before anything is recorded.
 */
final class ManagedRedisPlanChecks {

    /** Azure Managed Redis' sizes; Enterprise_ and EnterpriseFlash_ are Azure Cache for Redis Enterprise's (ADR 23). */
    private static final Pattern SKU =
            Pattern.compile("(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)[0-9]{1,4}");

    private static final Set<String> CLUSTERING = Set.of("EnterpriseCluster", "OSSCluster", "NoCluster");
    private static final Set<String> EVICTION = Set.of(
            "AllKeysLFU",
            "AllKeysLRU",
            "AllKeysRandom",
            "VolatileLRU",
            "VolatileLFU",
            "VolatileTTL",
            "VolatileRandom",
            "NoEviction");
    private static final Set<String> PERSISTENCE = Set.of("none", "rdb", "aof");
    private static final Set<String> NETWORK = Set.of("Enabled", "Disabled");

    private ManagedRedisPlanChecks() {}

    static void checkPlan(Plan plan, ManagedRedisPlan properties) {
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        AzureResources.checkPlacement(name, properties.subscriptionId(), properties.resourceGroup());
        AzureResources.checkLocation(name, properties.location());
        require(
                properties.sku() != null && SKU.matcher(properties.sku()).matches(),
                name + "sku must be an Azure Managed Redis size (Balanced_B0, MemoryOptimized_M10,"
                        + " ComputeOptimized_X3, FlashOptimized_A250, ...); Azure Cache for Redis Enterprise sizes"
                        + " retire on 2027-03-31 and are not offered");
        require(
                CLUSTERING.contains(properties.clusteringPolicy()),
                name + "clustering_policy must be one of " + sorted(CLUSTERING));
        require(
                EVICTION.contains(properties.evictionPolicy()),
                name + "eviction_policy must be one of " + sorted(EVICTION));
        require(
                PERSISTENCE.contains(properties.persistence()),
                name + "persistence must be one of " + sorted(PERSISTENCE));
        require(
                NETWORK.contains(properties.publicNetworkAccess()),
                name + "public_network_access must be one of " + sorted(NETWORK));
    }

    /** Refuses what Azure cannot change on a cache: its place, and its clustering policy once it clusters. */
    static void checkPlanChange(ManagedRedisPlan from, ManagedRedisPlan to) {
        if (!from.subscriptionId().equals(to.subscriptionId())
                || !from.resourceGroup().equals(to.resourceGroup())
                || !from.location().equals(to.location())) {
            throw new PlanChangeRefusedException("Azure cannot move a cache to another subscription, resource group"
                    + " or region: create a new service instance on the other plan and move the data");
        }
        if (!Objects.equals(from.clusteringPolicy(), to.clusteringPolicy())
                && !from.clusteringPolicy().equals("NoCluster")) {
            throw new PlanChangeRefusedException("Azure cannot change a cache's clustering policy from "
                    + from.clusteringPolicy() + " to " + to.clusteringPolicy()
                    + ": create a new service instance on the other plan and move the data");
        }
    }

    private static void require(boolean holds, String message) {
        if (!holds) {
            throw new InvalidPlanException(message);
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
