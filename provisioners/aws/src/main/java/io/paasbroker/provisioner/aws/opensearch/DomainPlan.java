package io.paasbroker.provisioner.aws.opensearch;

import java.util.List;

/**
 * The provisioner properties of an OpenSearch Service plan: what each domain of it is made with. Encryption at rest,
 * node-to-node encryption, HTTPS only and fine-grained access control are always on: the per-binding users need
 * fine-grained access control, and OpenSearch Service allows it only with all three.
 *
 * @param account the configured AWS account ({@code default} when none is named)
 * @param region the region, when not the account's
 * @param engineVersion as OpenSearch Service names it, {@code OpenSearch_2.19}
 * @param instanceType the data nodes' type, {@code t3.small.search}
 * @param instanceCount how many data nodes (1 to 80); with zone awareness a multiple of the zone count
 * @param zoneCount the availability zones the nodes are spread over: 1 (no zone awareness), 2 or 3
 * @param dedicatedMasterType the type of three dedicated master nodes; none: the data nodes elect one
 * @param volumeType the EBS volume type of each data node ({@code gp3} default)
 * @param volumeSizeGib each data node's EBS volume (10 GiB default)
 * @param kmsKeyId the KMS key of the encryption at rest; none: OpenSearch Service's own key
 * @param subnetIds the VPC subnets the domain goes into (one per zone); none: a public endpoint
 * @param securityGroupIds the security groups of a VPC domain
 * @param allowedCidrs the addresses a public domain answers (its access policy's condition), which must include the
 *     broker's own (it writes the instance's roles through the endpoint); none: every address, each request then
 *     checked by the fine-grained access control's users alone
 * @param tlsSecurityPolicy the endpoint's TLS policy ({@code Policy-Min-TLS-1-2-2019-07} default)
 * @param snapshotBucket the S3 bucket (in the domain's region) OpenSearch Service keeps the instances' snapshots in;
 *     none: backups are streamed through the broker instead
 * @param snapshotRoleArn the IAM role OpenSearch Service assumes to write that bucket (trusting
 *     {@code es.amazonaws.com}); the broker needs {@code iam:PassRole} on it
 */
record DomainPlan(
        String account,
        String region,
        String engineVersion,
        String instanceType,
        int instanceCount,
        int zoneCount,
        String dedicatedMasterType,
        String volumeType,
        int volumeSizeGib,
        String kmsKeyId,
        List<String> subnetIds,
        List<String> securityGroupIds,
        List<String> allowedCidrs,
        String tlsSecurityPolicy,
        String snapshotBucket,
        String snapshotRoleArn) {

    static final String DEFAULT_ACCOUNT = "default";

    DomainPlan {
        account = account == null ? DEFAULT_ACCOUNT : account;
        instanceCount = instanceCount == 0 ? 1 : instanceCount;
        zoneCount = zoneCount == 0 ? 1 : zoneCount;
        volumeType = volumeType == null ? "gp3" : volumeType;
        volumeSizeGib = volumeSizeGib == 0 ? 10 : volumeSizeGib;
        subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
        tlsSecurityPolicy = tlsSecurityPolicy == null ? "Policy-Min-TLS-1-2-2019-07" : tlsSecurityPolicy;
    }

    boolean zoneAware() {
        return zoneCount > 1;
    }

    /** Whether the plan's backups are OpenSearch Service snapshots. */
    boolean hasSnapshots() {
        return snapshotBucket != null;
    }

    boolean inVpc() {
        return !subnetIds.isEmpty();
    }
}
