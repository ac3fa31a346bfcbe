package io.paasbroker.provisioner.aws.elasticache;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.fake.StatusTimings;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ProvisionerSpec;
import io.paasbroker.provisioner.aws.AwsAccount;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.MapSecretStore;
import io.paasbroker.provisioner.aws.MasterPasswords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;

/**
 * The ElastiCache provisioner against the AWS test bed's fake ElastiCache, as the broker would run it: one account
 * whose ElastiCache endpoint is the fake's and whose cache CA is the test bed's, the instances' secrets in a
 * credential store of the test's.
 */
final class CacheTestBed implements AutoCloseable {

    final Path work;
    final AwsTestBed bed;
    final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();
    final AwsClients clients;
    /** The tests' own look at the fake, signing with a key of its own so its calls are not counted as the broker's. */
    final ElastiCacheClient inspector;

    final ElastiCacheRedisProvisioner provisioner;

    CacheTestBed() {
        this(Clock.systemUTC());
    }

    /** {@code clock}: the fake's, which decides when its statuses move on. */
    CacheTestBed(Clock clock) {
        try {
            work = Files.createTempDirectory("elasticache-test-bed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration step = Duration.ofMillis(300);
        bed = AwsTestBed.start(work, new StatusTimings(Duration.ofMillis(800), step, step, step), clock);
        clients = new AwsClients(
                Map.of(
                        "default",
                        new AwsAccount(
                                "default",
                                AwsTestBed.REGION,
                                null,
                                null,
                                Map.of("elasticache", bed.elastiCache().endpoint()),
                                null,
                                bed.certificates().caCertificatePem())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        bed.accessKey().id(), bed.accessKey().secret())));
        provisioner = provisioner("pbtest");
        inspector = bed.elastiCache().client(bed.issueKey());
    }

    /** A plan of the provisioner: {@code overrides} on top of a small Redis 7.1 group without replicas. */
    static Plan plan(String name, Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("engine_version", "7.1");
        properties.put("node_type", "cache.t4g.micro");
        properties.put("at_rest_encryption", true);
        properties.put("skip_final_snapshot", true);
        properties.put("allowed_maxmemory_policies", java.util.List.of("allkeys-lfu", "noeviction"));
        properties.putAll(overrides);
        return new Plan(
                "plan-aws-redis-" + name,
                name,
                "Redis on an ElastiCache replication group of its own",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ProvisionerSpec(ElastiCacheRedisProvisioner.NAME, properties),
                null,
                null);
    }

    /** A provisioner of the test bed whose resources' names start with {@code prefix}: another broker's. */
    ElastiCacheRedisProvisioner provisioner(String prefix) {
        return new ElastiCacheRedisProvisioner(clients, new MasterPasswords(new MapSecretStore(secrets)), prefix);
    }

    /** Stops the fakes' servers and removes their data. */
    @Override
    public void close() {
        inspector.close();
        clients.close();
        bed.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
