package io.paasbroker.provisioner.aws.rds;

import java.util.List;

/**
 * The provisioner properties of an RDS plan: what each instance of it is made with.
 *
 * @param account the configured AWS account ({@code default} when none is named)
 * @param region the region, when not the account's
 * @param engine RDS's engine, where a service has several: {@code mysql} (the default of MySQL plans) or
 *     {@code mariadb}; PostgreSQL plans leave it out
 * @param engineVersion the engine version RDS makes ({@code 16}: its default minor of 16; {@code 16.4}; {@code 8.0})
 * @param instanceClass {@code db.t4g.micro}, ...
 * @param allocatedStorage GiB
 * @param maxAllocatedStorage the ceiling of storage autoscaling in GiB; none: no autoscaling
 * @param storageType {@code gp3}, {@code gp2}, {@code io1}, ...; none: RDS's default
 * @param multiAz a standby in a second availability zone
 * @param storageEncrypted encryption at rest
 * @param kmsKeyId the KMS key of the encryption; none: RDS's own key for the account
 * @param dbSubnetGroup the subnet group (the VPC) instances go into; none: the default VPC's
 * @param vpcSecurityGroupIds the security groups that let applications in
 * @param backupRetentionDays how many days of automated backups and logs RDS keeps (0 turns them off)
 * @param backupWindow the daily backup window, {@code hh24:mi-hh24:mi} UTC; none: RDS chooses
 * @param maintenanceWindow the weekly maintenance window, {@code ddd:hh24:mi-ddd:hh24:mi} UTC; none: RDS chooses
 * @param deletionProtection whether RDS refuses to delete the instance when asked by anyone but the broker, which
 *     lifts it when the platform deletes the instance
 * @param skipFinalSnapshot whether deleting an instance keeps no final snapshot (a user may ask the same)
 * @param dbParameterGroup a parameter group of the operator's the instances use; none: RDS's default for the engine
 * @param allowedExtensions extensions an instance may ask for ({@code extensions} parameter)
 * @param defaultExtensions extensions every instance gets
 * @param connectionLimit the most connections the tenant's database accepts; none: no limit of the broker's
 * @param manageMasterUserPassword whether RDS makes the master password and keeps (and rotates) it in Secrets Manager,
 *     where the broker reads it each time it acts as the master; otherwise the broker makes it and keeps it in its
 *     credential store
 * @param masterUserSecretKmsKeyId the KMS key of that secret; none: Secrets Manager's own key for the account
 */
record RdsPlan(
        String account,
        String region,
        String engine,
        String engineVersion,
        String instanceClass,
        Integer allocatedStorage,
        Integer maxAllocatedStorage,
        String storageType,
        boolean multiAz,
        boolean storageEncrypted,
        String kmsKeyId,
        String dbSubnetGroup,
        List<String> vpcSecurityGroupIds,
        Integer backupRetentionDays,
        String backupWindow,
        String maintenanceWindow,
        boolean deletionProtection,
        boolean skipFinalSnapshot,
        String dbParameterGroup,
        List<String> allowedExtensions,
        List<String> defaultExtensions,
        Integer connectionLimit,
        boolean manageMasterUserPassword,
        String masterUserSecretKmsKeyId) {

    static final String DEFAULT_ACCOUNT = "default";

    RdsPlan {
        account = account == null ? DEFAULT_ACCOUNT : account;
        vpcSecurityGroupIds = vpcSecurityGroupIds == null ? List.of() : List.copyOf(vpcSecurityGroupIds);
        allowedExtensions = allowedExtensions == null ? List.of() : List.copyOf(allowedExtensions);
        defaultExtensions = defaultExtensions == null ? List.of() : List.copyOf(defaultExtensions);
        backupRetentionDays = backupRetentionDays == null ? 7 : backupRetentionDays;
    }

    /** The major version, its first {@code parts}: {@code 16} of {@code 16.4} (1), {@code 8.0} of {@code 8.0.39} (2). */
    String majorVersion(int parts) {
        String[] versionParts = engineVersion.split("\\.");
        return String.join(".", java.util.Arrays.asList(versionParts).subList(0, Math.min(parts, versionParts.length)));
    }

    /** Whether the engine version names a minor version ({@code 16.4}), not only a major ({@code 16}). */
    boolean namesMinorVersion(int majorParts) {
        return engineVersion.split("\\.").length > majorParts;
    }
}
