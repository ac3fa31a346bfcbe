package io.paasbroker.provisioner.aws.elasticache;

import java.util.List;

/**
 * The provisioner properties of an ElastiCache plan: what each replication group of it is made with. Encryption in
 * transit is always on (ElastiCache's RBAC users need it, and bindings get TLS only).
 *
 * @param account the configured AWS account ({@code default} when none is named)
 * @param region the region, when not the account's
 * @param engine {@code redis} (default) or {@code valkey}
 * @param engineVersion the engine version ElastiCache makes ({@code 7.1})
 * @param nodeType {@code cache.t4g.micro}, ...
 * @param replicas read replicas besides the primary (0 to 5)
 * @param highAvailability automatic failover to a replica, and Multi-AZ: needs a replica
 * @param atRestEncryption encryption at rest
 * @param kmsKeyId the KMS key of the encryption at rest; none: ElastiCache's own key
 * @param subnetGroup the cache subnet group (the VPC) the nodes go into; none: the default VPC's
 * @param securityGroupIds the security groups that let applications in
 * @param snapshotRetentionDays how many days of daily automatic snapshots ElastiCache keeps (0 turns them off)
 * @param snapshotWindow the daily snapshot window, {@code hh24:mi-hh24:mi} UTC; none: ElastiCache chooses
 * @param maintenanceWindow the weekly maintenance window, {@code ddd:hh24:mi-ddd:hh24:mi} UTC; none: ElastiCache chooses
 * @param maxmemoryPolicy what Redis evicts when memory is full, unless the user chooses ({@code volatile-lru} default)
 * @param allowedMaxmemoryPolicies the policies a user may choose ({@code maxmemory_policy} parameter)
 * @param skipFinalSnapshot whether deleting an instance keeps no final snapshot (a user may ask the same)
 */
record CachePlan(
        String account,
        String region,
        String engine,
        String engineVersion,
        String nodeType,
        int replicas,
        boolean highAvailability,
        boolean atRestEncryption,
        String kmsKeyId,
        String subnetGroup,
        List<String> securityGroupIds,
        int snapshotRetentionDays,
        String snapshotWindow,
        String maintenanceWindow,
        String maxmemoryPolicy,
        List<String> allowedMaxmemoryPolicies,
        boolean skipFinalSnapshot) {

    static final String DEFAULT_ACCOUNT = "default";

    CachePlan {
        account = account == null ? DEFAULT_ACCOUNT : account;
        engine = engine == null ? "redis" : engine;
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        maxmemoryPolicy = maxmemoryPolicy == null ? "volatile-lru" : maxmemoryPolicy;
        allowedMaxmemoryPolicies = allowedMaxmemoryPolicies == null ? List.of() : List.copyOf(allowedMaxmemoryPolicies);
    }

    /** The parameter group family: {@code redis7} of Redis 7.1, {@code valkey8} of Valkey 8.0. */
    String family() {
        int dot = engineVersion.indexOf('.');
        return engine + (dot < 0 ? engineVersion : engineVersion.substring(0, dot));
    }
}
