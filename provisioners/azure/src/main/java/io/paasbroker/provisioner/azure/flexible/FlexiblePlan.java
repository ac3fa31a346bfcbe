package io.paasbroker.provisioner.azure.flexible;

import java.util.List;

/**
 * The provisioner properties of an Azure Database flexible server plan: where each instance's server goes and what
 * it is made with.
 *
 * @param subscriptionId the Azure subscription the servers go into
 * @param resourceGroup the resource group there, which the operator makes
 * @param location the Azure region: {@code uksouth}, {@code westeurope}, ...
 * @param version the version: {@code 16} (PostgreSQL's major version), {@code 8.0.21} (MySQL's)
 * @param skuName the compute size: {@code Standard_B1ms}, {@code Standard_D2ds_v5}, ...
 * @param skuTier {@code Burstable}, {@code GeneralPurpose} or {@code MemoryOptimized}; the size must be of the tier
 * @param storageGb the storage Azure offers: for PostgreSQL one of 32, 64, 128, ... GiB, for MySQL 20 to 16384 GiB
 * @param storageAutoGrow whether Azure grows the storage before it fills up
 * @param highAvailability {@code Disabled}, {@code ZoneRedundant} or {@code SameZone} (a standby; not on Burstable)
 * @param backupRetentionDays how many days of backups Azure keeps, 7 to 35: the window of point-in-time restores
 * @param geoRedundantBackup whether Azure keeps the backups in the paired region too (fixed once the server is made)
 * @param firewallRules who may connect when servers are reachable on their public address, by IPv4 range; none: no
 *     one until the operator adds a rule (Azure's own default)
 * @param delegatedSubnetId a subnet delegated to flexible servers: the servers get private addresses there and no
 *     public one (then {@code privateDnsZoneId} names their DNS zone)
 * @param privateDnsZoneId the private DNS zone of servers in {@code delegatedSubnetId}
 * @param allowedExtensions (PostgreSQL) extensions an instance may ask for ({@code extensions} parameter): Azure's
 *     {@code azure.extensions} allow-list of each server
 * @param defaultExtensions (PostgreSQL) extensions every instance gets
 * @param connectionLimit (PostgreSQL) the most connections the tenant's database accepts; none: no limit of the broker's
 */
record FlexiblePlan(
        String subscriptionId,
        String resourceGroup,
        String location,
        String version,
        String skuName,
        String skuTier,
        Integer storageGb,
        boolean storageAutoGrow,
        String highAvailability,
        Integer backupRetentionDays,
        boolean geoRedundantBackup,
        List<FirewallRule> firewallRules,
        String delegatedSubnetId,
        String privateDnsZoneId,
        List<String> allowedExtensions,
        List<String> defaultExtensions,
        Integer connectionLimit) {

    FlexiblePlan {
        storageGb = storageGb == null ? 32 : storageGb;
        highAvailability = highAvailability == null ? "Disabled" : highAvailability;
        backupRetentionDays = backupRetentionDays == null ? 7 : backupRetentionDays;
        firewallRules = firewallRules == null ? List.of() : List.copyOf(firewallRules);
        allowedExtensions = allowedExtensions == null ? List.of() : List.copyOf(allowedExtensions);
        defaultExtensions = defaultExtensions == null ? List.of() : List.copyOf(defaultExtensions);
    }

    /** Whether servers have a private address in the operator's network rather than a public one. */
    boolean privateNetwork() {
        return delegatedSubnetId != null;
    }

    /** Whether servers have a standby. */
    boolean highlyAvailable() {
        return !highAvailability.equals("Disabled");
    }

    /**
     * One firewall rule of every server.
     *
     * @param name Azure's name of the rule: letters, digits, {@code -_.}
     * @param startIp the first IPv4 address let in
     * @param endIp the last
     */
    record FirewallRule(String name, String startIp, String endIp) {}
}
