package io.paasbroker.provisioner.aws.opensearch;

import static io.paasbroker.provisioner.aws.AwsPlanRules.refuseUnless;
import static io.paasbroker.provisioner.aws.AwsPlanRules.require;

import io.paasbroker.catalog.Plan;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What OpenSearch Service would refuse of a plan, or of a change between two plans, found before AWS is asked: at
 * start-up for a plan, with 422 for a plan change a domain cannot take in place or that this broker does not make.
 */
final class DomainPlanChecks {

    private static final Pattern ENGINE_VERSION = Pattern.compile("OpenSearch_[0-9]{1,2}\\.[0-9]{1,2}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9]+\\.[a-z0-9]+\\.search");
    /** The volume types a plan may name: io1 would need IOPS, which plans do not set. */
    private static final Pattern VOLUME_TYPE = Pattern.compile("gp2|gp3");

    private static final Pattern TLS_POLICY = Pattern.compile("Policy-Min-TLS-1-[0-3]-[0-9A-Z-]+");
    private static final Pattern CIDR =
            Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9a-fA-F:]+/[0-9]{1,3}");

    /** S3's rules for a bucket name, dots excepted: a dotted name has no valid TLS certificate for S3's endpoints. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");

    private DomainPlanChecks() {}

    /** {@code configured}: whether the plan's account is one of the broker's. */
    static void checkPlan(Plan plan, DomainPlan properties, boolean configured, String prefix) {
        String name = "plan '" + plan.name() + "' (" + plan.id() + "): ";
        require(
                configured,
                name + "account '" + properties.account() + "' is not configured (paasbroker.aws.accounts)");
        require(
                DomainNames.fits(prefix),
                name + "OpenSearch Service domain names are at most " + DomainNames.MAX_LENGTH + " characters: the name"
                        + " prefix '" + prefix + "' must be at most "
                        + (DomainNames.MAX_LENGTH - 1 - DomainNames.MIN_HASH) + " characters for OpenSearch plans");
        require(
                properties.engineVersion() != null
                        && ENGINE_VERSION.matcher(properties.engineVersion()).matches(),
                name + "engine_version must be an OpenSearch version as OpenSearch Service names it, such as"
                        + " OpenSearch_2.19");
        require(
                properties.instanceType() != null
                        && INSTANCE_TYPE.matcher(properties.instanceType()).matches(),
                name + "instance_type must be an OpenSearch Service instance type such as t3.small.search");
        require(
                properties.dedicatedMasterType() == null
                        || INSTANCE_TYPE
                                .matcher(properties.dedicatedMasterType())
                                .matches(),
                name + "dedicated_master_type must be an OpenSearch Service instance type such as m6g.large.search");
        require(properties.zoneCount() >= 1 && properties.zoneCount() <= 3, name + "zone_count must be 1, 2 or 3");
        require(
                properties.instanceCount() >= 1
                        && properties.instanceCount() <= 80
                        && properties.instanceCount() % properties.zoneCount() == 0,
                name + "instance_count must be 1 to 80, a multiple of zone_count");
        require(VOLUME_TYPE.matcher(properties.volumeType()).matches(), name + "volume_type must be gp3 or gp2");
        require(
                properties.volumeSizeGib() >= 10 && properties.volumeSizeGib() <= 16384,
                name + "volume_size_gib must be 10 to 16384");
        require(
                !properties.inVpc() || properties.subnetIds().size() == properties.zoneCount(),
                name + "a VPC domain takes one subnet per zone: subnet_ids must have zone_count entries");
        require(
                properties.securityGroupIds().isEmpty() || properties.inVpc(),
                name + "security_group_ids need subnet_ids: only a VPC domain has security groups");
        require(
                properties.allowedCidrs().isEmpty() || !properties.inVpc(),
                name + "allowed_cidrs is for a public domain; a VPC domain is reached as its security groups allow");
        require(
                TLS_POLICY.matcher(properties.tlsSecurityPolicy()).matches(),
                name
                        + "tls_security_policy must be an OpenSearch Service TLS policy such as Policy-Min-TLS-1-2-2019-07");
        require(
                properties.allowedCidrs().stream()
                        .allMatch(cidr -> CIDR.matcher(cidr).matches()),
                name + "allowed_cidrs must be CIDR blocks such as 203.0.113.0/24");
        require(
                (properties.snapshotBucket() == null) == (properties.snapshotRoleArn() == null),
                name + "snapshot_bucket and snapshot_role_arn go together: the role is what OpenSearch Service writes"
                        + " the bucket with");
        require(
                properties.snapshotBucket() == null
                        || BUCKET.matcher(properties.snapshotBucket()).matches(),
                name + "snapshot_bucket must be an S3 bucket name without dots");
        require(
                properties.snapshotRoleArn() == null
                        || ROLE_ARN.matcher(properties.snapshotRoleArn()).matches(),
                name + "snapshot_role_arn must be an IAM role's ARN such as arn:aws:iam::123456789012:role/name");
    }

    /**
     * Refuses what a domain cannot take in place, or what this broker does not change: another account, region or
     * network; another engine version (OpenSearch Service upgrades with UpgradeDomain, which the broker does not
     * call); another encryption key; a smaller volume, which may not hold the data.
     */
    static void checkPlanChange(DomainPlan from, DomainPlan to) {
        refuseUnless(
                from.account().equals(to.account()) && Objects.equals(from.region(), to.region()),
                "the instance's data cannot move to another AWS account or region: create an instance of the other"
                        + " plan and restore a backup into it");
        refuseUnless(
                from.subnetIds().equals(to.subnetIds()),
                "OpenSearch Service cannot move a domain between a public endpoint and a VPC, or to other subnets:"
                        + " create an instance of the other plan and restore a backup into it");
        refuseUnless(
                from.engineVersion().equals(to.engineVersion()),
                "the broker does not upgrade a domain's engine (" + from.engineVersion() + " to " + to.engineVersion()
                        + "): create an instance of the other plan and restore a backup into it");
        refuseUnless(
                Objects.equals(from.kmsKeyId(), to.kmsKeyId()),
                "OpenSearch Service cannot change a domain's encryption key: create an instance of the other plan and"
                        + " restore a backup into it");
        refuseUnless(
                to.volumeSizeGib() >= from.volumeSizeGib(),
                "the plan's volumes (" + to.volumeSizeGib() + " GiB) are smaller than the instance's ("
                        + from.volumeSizeGib() + " GiB), which may not hold its data");
    }
}
