package io.paasbroker.provisioner.aws;

import java.net.URI;
import java.util.Map;

/**
 * An AWS account the broker makes resources in, as the operator configured it.
 *
 * @param name what plans call it ({@code account} property)
 * @param region the region its plans use unless a plan names another
 * @param roleArn a role the broker assumes in the account, from the credentials of the default chain (instance
 *     profile, IRSA web identity, environment); none: the chain's own credentials act in the account
 * @param externalId the external id the role's trust policy asks for, if any
 * @param endpoints API endpoints by service ({@code rds}, {@code elasticache}, {@code es}, {@code sts}, {@code secretsmanager}, ...) in place of AWS's public ones: VPC endpoints,
 *     or the test bed
 * @param rdsCaCertificate the PEM of the CA RDS signs its instances' certificates with (AWS's bundle for the region);
 *     none: the JVM's and system's CAs
 * @param cacheCaCertificate the PEM of the CA ElastiCache's TLS certificates chain to; none: the JVM's and system's
 *     CAs, which trust AWS's public ones
 * @param searchCaCertificate the PEM of the CA OpenSearch Service domains' HTTPS certificates chain to; none: the
 *     JVM's and system's CAs, which trust AWS's public ones
 */
public record AwsAccount(
        String name,
        String region,
        String roleArn,
        String externalId,
        Map<String, URI> endpoints,
        String rdsCaCertificate,
        String cacheCaCertificate,
        String searchCaCertificate) {

    public AwsAccount {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("AWS account '" + name + "' names no region");
        }
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    }

    /** The account's region, or {@code planRegion} where a plan names one. */
    public String region(String planRegion) {
        return planRegion == null ? region : planRegion;
    }
}
