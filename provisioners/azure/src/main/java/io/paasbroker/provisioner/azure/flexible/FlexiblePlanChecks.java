package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.azure.AzureResources;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Azure would refuse of a flexible server plan, refused at start-up instead of at each provision, and the plan
 * changes Azure cannot make to an existing server, refused before anything is recorded.
 */
final class FlexiblePlanChecks {

    private static final Pattern SKU = Pattern.compile("Standard_[A-Za-z0-9_]{1,40}");
    private static final Pattern RULE_NAME = Pattern.compile("[-\\w.]{1,80}");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern RESOURCE_ID =
            Pattern.compile("/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+");
    private static final Set<String> TIERS = Set.of("Burstable", "GeneralPurpose", "MemoryOptimized");
    private static final Set<String> HIGH_AVAILABILITY = Set.of("Disabled", "ZoneRedundant", "SameZone");

    private FlexiblePlanChecks() {}

    static void checkPlan(Plan plan, FlexiblePlan properties, FlexibleEngine engine) {
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        AzureResources.checkPlacement(name, properties.subscriptionId(), properties.resourceGroup());
        AzureResources.checkLocation(name, properties.location());
        require(
                properties.skuName() != null
                        && SKU.matcher(properties.skuName()).matches(),
                name + "sku_name must be a compute size (Standard_B1ms, Standard_D2ds_v5, ...)");
        require(
                properties.skuTier() != null && TIERS.contains(properties.skuTier()),
                name + "sku_tier must be one of " + TIERS.stream().sorted().toList());
        require(
                HIGH_AVAILABILITY.contains(properties.highAvailability()),
                name + "high_availability must be one of "
                        + HIGH_AVAILABILITY.stream().sorted().toList());
        require(
                !(properties.highlyAvailable() && properties.skuTier().equals("Burstable")),
                name + "Azure offers no high availability on the Burstable tier");
        require(
                properties.backupRetentionDays() >= 7 && properties.backupRetentionDays() <= 35,
                name + "backup_retention_days must be 7 to 35");
        for (FlexiblePlan.FirewallRule rule : properties.firewallRules()) {
            require(
                    rule.name() != null && RULE_NAME.matcher(rule.name()).matches(),
                    name + "a firewall rule's name must be letters, digits and -_. (at most 80)");
            require(
                    rule.startIp() != null
                            && IPV4.matcher(rule.startIp()).matches()
                            && rule.endIp() != null
                            && IPV4.matcher(rule.endIp()).matches(),
                    name + "firewall rule '" + rule.name() + "' needs start_ip and end_ip, IPv4 addresses");
        }
        require(
                (properties.delegatedSubnetId() == null) == (properties.privateDnsZoneId() == null),
                name + "delegated_subnet_id and private_dns_zone_id go together");
        require(
                !properties.privateNetwork() || properties.firewallRules().isEmpty(),
                name + "firewall_rules apply to public access only, and servers in a delegated subnet have none");
        for (String id : new String[] {properties.delegatedSubnetId(), properties.privateDnsZoneId()}) {
            require(id == null || RESOURCE_ID.matcher(id).matches(), name + "'" + id + "' is no Azure resource id");
        }
        engine.checkPlan(name, properties);
    }

    /** Refuses what Azure cannot change on a server made by {@code from}. */
    static void checkPlanChange(FlexiblePlan from, FlexiblePlan to) {
        refuseChange("subscription_id", from.subscriptionId(), to.subscriptionId());
        refuseChange("resource_group", from.resourceGroup(), to.resourceGroup());
        refuseChange("location", from.location(), to.location());
        refuseChange("version", from.version(), to.version());
        refuseChange("geo_redundant_backup", from.geoRedundantBackup(), to.geoRedundantBackup());
        refuseChange("delegated_subnet_id", from.delegatedSubnetId(), to.delegatedSubnetId());
        if (to.storageGb() < from.storageGb()) {
            throw new PlanChangeRefusedException("Azure cannot shrink a server's storage: the plan has "
                    + from.storageGb() + " GiB, the new plan " + to.storageGb() + " GiB");
        }
    }

    private static void refuseChange(String property, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            throw new PlanChangeRefusedException("Azure cannot change a server's " + property + " (" + from + " to "
                    + to + "); make a new instance of the other plan and move the data");
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidPlanException(message);
        }
    }
}
