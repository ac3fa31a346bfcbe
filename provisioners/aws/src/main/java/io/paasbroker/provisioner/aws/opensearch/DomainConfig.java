package io.paasbroker.provisioner.aws.opensearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.opensearch.model.ClusterConfig;
import software.amazon.awssdk.services.opensearch.model.DomainEndpointOptions;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.EBSOptions;
import software.amazon.awssdk.services.opensearch.model.VPCOptions;

/** The parts of a domain's configuration a plan decides, as OpenSearch Service takes them on create and update. */
final class DomainConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEDICATED_MASTERS = 3;

    private DomainConfig() {}

    static ClusterConfig cluster(DomainPlan plan) {
        ClusterConfig.Builder cluster = ClusterConfig.builder()
                .instanceType(plan.instanceType())
                .instanceCount(plan.instanceCount())
                .zoneAwarenessEnabled(plan.zoneAware())
                .dedicatedMasterEnabled(plan.dedicatedMasterType() != null);
        if (plan.zoneAware()) {
            cluster.zoneAwarenessConfig(zones -> zones.availabilityZoneCount(plan.zoneCount()));
        }
        if (plan.dedicatedMasterType() != null) {
            cluster.dedicatedMasterType(plan.dedicatedMasterType()).dedicatedMasterCount(DEDICATED_MASTERS);
        }
        return cluster.build();
    }

    /** HTTPS only, with the plan's TLS policy. */
    static DomainEndpointOptions endpoint(DomainPlan plan) {
        return DomainEndpointOptions.builder()
                .enforceHTTPS(true)
                .tlsSecurityPolicy(plan.tlsSecurityPolicy())
                .build();
    }

    /** A VPC domain's subnets and security groups. */
    static VPCOptions network(DomainPlan plan) {
        return VPCOptions.builder()
                .subnetIds(plan.subnetIds())
                .securityGroupIds(plan.securityGroupIds())
                .build();
    }

    static EBSOptions volumes(DomainPlan plan) {
        return EBSOptions.builder()
                .ebsEnabled(true)
                .volumeType(plan.volumeType())
                .volumeSize(plan.volumeSizeGib())
                .build();
    }

    /**
     * Whether the domain's nodes, zones, volumes, TLS policy, security groups or access policy are not the plan's (the parts of its configuration
     * the broker sets; OpenSearch Service reports others, with defaults, besides).
     */
    static boolean differs(DomainPlan plan, String accessPolicy, DomainStatus domain) {
        ClusterConfig wanted = cluster(plan);
        ClusterConfig cluster = domain.clusterConfig();
        EBSOptions volumes = domain.ebsOptions() == null ? EBSOptions.builder().build() : domain.ebsOptions();
        int zones = !Boolean.TRUE.equals(cluster.zoneAwarenessEnabled())
                ? 1
                : cluster.zoneAwarenessConfig() == null
                                || cluster.zoneAwarenessConfig().availabilityZoneCount() == null
                        ? 2
                        : cluster.zoneAwarenessConfig().availabilityZoneCount();
        String tlsPolicy = domain.domainEndpointOptions() == null
                ? null
                : domain.domainEndpointOptions().tlsSecurityPolicyAsString();
        Set<String> securityGroups = domain.vpcOptions() == null
                ? Set.of()
                : Set.copyOf(domain.vpcOptions().securityGroupIds());
        return !Objects.equals(wanted.instanceTypeAsString(), cluster.instanceTypeAsString())
                || !Objects.equals(wanted.instanceCount(), cluster.instanceCount())
                || zones != plan.zoneCount()
                || !Objects.equals(
                        wanted.dedicatedMasterEnabled(), Boolean.TRUE.equals(cluster.dedicatedMasterEnabled()))
                || (plan.dedicatedMasterType() != null
                        && !plan.dedicatedMasterType().equals(cluster.dedicatedMasterTypeAsString()))
                || !Objects.equals(plan.volumeType(), volumes.volumeTypeAsString())
                || !Objects.equals(plan.volumeSizeGib(), volumes.volumeSize())
                || !plan.tlsSecurityPolicy().equals(tlsPolicy)
                || (plan.inVpc() && !Set.copyOf(plan.securityGroupIds()).equals(securityGroups))
                || !sameJson(accessPolicy, domain.accessPolicies());
    }

    private static boolean sameJson(String a, String b) {
        try {
            return b != null && JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * Who may send requests to the domain at all: anyone (from the plan's addresses, for a public domain), as the
     * fine-grained access control then authenticates every request with its internal users. The account in the
     * resource is a wildcard: the broker does not need to know its account's id, and the domain's name is unique in
     * its account and region.
     */
    static String accessPolicy(DomainPlan plan, String region, String domain) {
        String partition = PartitionMetadata.of(Region.of(region)).id();
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("AWS", "*"));
        statement.put("Action", "es:ESHttp*");
        statement.put("Resource", "arn:" + partition + ":es:" + region + ":*:domain/" + domain + "/*");
        if (!plan.allowedCidrs().isEmpty()) {
            statement.put("Condition", Map.of("IpAddress", Map.of("aws:SourceIp", plan.allowedCidrs())));
        }
        try {
            return JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings are JSON", e);
        }
    }
}
