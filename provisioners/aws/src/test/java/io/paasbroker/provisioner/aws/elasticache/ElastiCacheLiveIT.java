package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.aws.LiveAccount;
import io.paasbroker.provisioner.aws.LiveRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The provisioner contract against a real AWS account's ElastiCache: runs only when {@code PAASBROKER_AWS_LIVE_REGION}
 * names a region (and is reported as skipped, never as passed, otherwise). It uses the AWS SDK's default credential
 * chain, optionally a role to assume ({@code PAASBROKER_AWS_LIVE_ROLE_ARN}), and the cache subnet group and security
 * groups of a VPC this machine can reach ({@code PAASBROKER_AWS_LIVE_CACHE_SUBNET_GROUP},
 * {@code PAASBROKER_AWS_LIVE_SECURITY_GROUP_IDS}, comma-separated). Bindings verify ElastiCache's public certificates
 * with the JVM's CAs. Every resource is named with a prefix of this run's own, and the reaper deletes whatever the run
 * left, whatever happened. It makes real, billed cache.t4g.micro groups; a whole run takes hours.
 */
@EnabledIfEnvironmentVariable(named = "PAASBROKER_AWS_LIVE_REGION", matches = ".+")
class ElastiCacheLiveIT extends ElastiCacheContract {

    private static final LiveRun<ElastiCacheRedisProvisioner> RUN = new LiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) -> CacheReaper.reap(clients.elastiCache("default", LiveAccount.region()), prefix));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private ElastiCacheRedisProvisioner live() {
        return RUN.provisioner(null, ElastiCacheRedisProvisioner::new, plan());
    }

    @Override
    protected Plan plan() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("engine_version", "7.1");
        properties.put("node_type", "cache.t4g.micro");
        Optional.ofNullable(System.getenv("PAASBROKER_AWS_LIVE_CACHE_SUBNET_GROUP"))
                .ifPresent(group -> properties.put("subnet_group", group));
        Optional.ofNullable(System.getenv("PAASBROKER_AWS_LIVE_SECURITY_GROUP_IDS"))
                .ifPresent(ids -> properties.put("security_group_ids", List.of(ids.split(","))));
        return CacheTestBed.plan("live", properties);
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofMinutes(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofSeconds(20);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>(leftOf(
                RUN.clients().elastiCache("default", LiveAccount.region()),
                live().replicationGroupId(instanceId),
                instanceId));
        left.addAll(RUN.secretsOf(instanceId));
        return left;
    }
}
