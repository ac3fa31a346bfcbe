package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.aws.AwsPlans;
import io.paasbroker.provisioner.aws.TestBedAccount;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/**
 * The ElastiCache provisioner against the fake ElastiCache of the test bed's account ({@link TestBedAccount}), as the
 * broker would run it.
 */
final class CacheTestBed implements AutoCloseable {

    final TestBedAccount account;
    final AwsTestBed bed;
    final Map<String, Map<String, Object>> secrets;
    /** The tests' own look at the fake, signing with a key of its own so its calls are not counted as the broker's. */
    final ElastiCacheClient inspector;

    final ElastiCacheRedisProvisioner provisioner;

    CacheTestBed() {
        this(Clock.systemUTC());
    }

    /** {@code clock}: the fake's, which decides when its statuses move on. */
    CacheTestBed(Clock clock) {
        account = new TestBedAccount(clock);
        bed = account.bed;
        secrets = account.secrets;
        provisioner = provisioner("pbtest");
        inspector = bed.elastiCache().client(bed.issueKey());
    }

    /** A plan of the provisioner: {@code overrides} on top of a small Redis 7.1 group without replicas. */
    static Plan plan(String name, Map<String, Object> overrides) {
        return AwsPlans.plan(
                "redis",
                name,
                "Redis on an ElastiCache replication group of its own",
                Map.of(
                        "engine_version",
                        "7.1",
                        "node_type",
                        "cache.t4g.micro",
                        "at_rest_encryption",
                        true,
                        "skip_final_snapshot",
                        true,
                        "allowed_maxmemory_policies",
                        List.of("allkeys-lfu", "noeviction")),
                overrides);
    }

    /** A provisioner of the test bed whose resources' names start with {@code prefix}: another broker's. */
    ElastiCacheRedisProvisioner provisioner(String prefix) {
        return new ElastiCacheRedisProvisioner(account.clients, account.masters(), prefix);
    }

    /** Stops as {@link TestBedAccount#closeCheckingTheIamPolicy} does. */
    void closeCheckingTheIamPolicy(String... expected) {
        inspector.close();
        account.closeCheckingTheIamPolicy(expected);
    }

    /** Stops the fakes' servers and removes their data. */
    @Override
    public void close() {
        inspector.close();
        account.close();
    }
}
