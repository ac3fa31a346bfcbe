package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.IamPolicyCoverage;
import io.paasbroker.aws.testbed.fake.StatusTimings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Brokers started as the README's "Try the aws plans" starts one: the executable jar with {@code catalog-aws.yml},
 * its state on a PostgreSQL of the tests, against an AWS test bed in this process, signing with the test bed's key.
 * The tests look at the fakes with a key of their own, so only the broker's calls count for the IAM policy.
 */
public final class AwsTestBedBrokers implements AutoCloseable {

    /** The example catalog's PostgreSQL service, and its plans. */
    public static final String SERVICE = "dd204112-ce31-488d-9318-6dc671271a31";

    public static final String TINY = "f147d40d-b19f-4dca-a850-f06ee9380273";
    public static final String SMALL = "3a926860-1542-434a-b18f-89c41be7d6f0";

    /** The example catalog's MySQL service, and its plans. */
    public static final String MYSQL = "2f3004ee-a92f-4aee-a6a0-eef77bf32b74";

    public static final String MYSQL_TINY = "17690d7d-401d-4665-82ab-9d913f59b1c7";

    /** The example catalog's S3 service, and its plans. */
    public static final String S3 = "d9bf9ad8-c8a1-46f7-81af-c1cd7ae977bd";

    public static final String S3_STANDARD = "12c2df4b-1d62-4ef0-aff8-7b10eff50a45";
    public static final String S3_SCRATCH = "cf3d38c6-0ac2-4678-89f7-677847f7ae46";

    /** The example catalog's OpenSearch service, and its plans. */
    public static final String OPENSEARCH = "6e2032ea-34e5-449c-bcca-423533734c0f";

    public static final String OPENSEARCH_TINY = "d52e5c9c-435d-4281-ad31-d32d0cbf6331";

    /** Two nodes in two zones, its backups OpenSearch Service snapshots in the test bed's snapshot bucket. */
    public static final String OPENSEARCH_MEDIUM_HA = "d73ce034-42b5-4d2e-b1a7-58e9483606c2";

    /** The example catalog's Redis service, and its plans. */
    public static final String REDIS = "45a1b6a6-d610-41f6-b0ca-8fac4b4e2499";

    public static final String REDIS_TINY = "e6ade37d-dedd-424c-86fd-165912c2be73";
    public static final String REDIS_SMALL_HA = "a41e2017-dd47-4539-a963-936aee8f5eba";

    /** The brokers' state store, started with the first broker: a broker of other settings may keep its state elsewhere. */
    private SharedPostgres state;

    private final AwsTestBed aws;
    private final RdsClient inspector;
    private final ElastiCacheClient cacheInspector;
    private final List<BrokerProcess> started = new ArrayList<>();
    private final Path work = Path.of("target", "it-work", "aws-" + UUID.randomUUID());

    public AwsTestBedBrokers() {
        Duration step = Duration.ofMillis(500);
        aws = AwsTestBed.start(work.resolve("test-bed"), new StatusTimings(Duration.ofSeconds(2), step, step, step));
        inspector = aws.rds().client(aws.issueKey());
        cacheInspector = aws.elastiCache().client(aws.issueKey());
    }

    public BrokerProcess start(String name) {
        if (state == null) {
            state = new SharedPostgres();
        }
        List<String> properties = new ArrayList<>(state.brokerProperties(Catalogs.cloudCatalog()));
        properties.removeIf(property -> property.startsWith("paasbroker.catalog="));
        properties.add("paasbroker.catalog=classpath:catalog-aws.yml");
        properties.addAll(testBedProperties());
        return started(BrokerProcess.start(name, work, properties, List.of(), brokerEnvironment()));
    }

    /** A broker of the caller's settings, besides the test bed's: stopped with the others. */
    BrokerProcess started(BrokerProcess broker) {
        started.add(broker);
        return broker;
    }

    /** The broker's settings for the test bed (the account {@code default}, the backup store), as name=value. */
    List<String> testBedProperties() {
        List<String> properties = new ArrayList<>();
        aws.brokerProperties().forEach((key, value) -> properties.add(key + "=" + value));
        return properties;
    }

    /** The test bed's access key, as the AWS SDK's credential chain reads it from the broker's environment. */
    Map<String, String> brokerEnvironment() {
        return Map.of(
                "AWS_ACCESS_KEY_ID",
                aws.accessKey().id(),
                "AWS_SECRET_ACCESS_KEY",
                aws.accessKey().secret());
    }

    /** The identifier of the RDS instance the broker made for service instance {@code instance}, found by its tag. */
    public String rdsIdentifierOf(String instance) {
        return inspector.describeDBInstances().dbInstances().stream()
                .filter(db -> db.tagList().stream()
                        .anyMatch(tag -> tag.key().equals("paasbroker:instance")
                                && tag.value().equals(instance)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no RDS instance is tagged with service instance " + instance))
                .dbInstanceIdentifier();
    }

    /** The secrets no log of the broker may hold: its AWS secret key, and the master password of {@code identifier}. */
    public List<String> secretsOf(String identifier) {
        return List.of(aws.accessKey().secret(), aws.rds().masterPasswordSent(identifier));
    }

    /** The names of the buckets the fake S3 holds but the test bed's own, and of the users the fake IAM holds. */
    public List<String> bucketsAndIamUsers() {
        List<String> names = new ArrayList<>(aws.s3().bucketNames());
        names.remove(AwsTestBed.BACKUP_BUCKET);
        names.remove(AwsTestBed.SNAPSHOT_BUCKET);
        names.addAll(aws.iam().userNames());
        return names;
    }

    /** The OpenSearch Service domains that exist, deleting ones included. */
    public Set<String> domains() {
        return aws.openSearch().domainNames();
    }

    public RdsClient rds() {
        return inspector;
    }

    /** The tests' own ElastiCache client. */
    public ElastiCacheClient elastiCache() {
        return cacheInspector;
    }

    /** Fails on what the broker sent that AWS's published models refuse, since the last call. */
    public void assertNoViolations() {
        assertThat(aws.takeViolations())
                .as("requests AWS's published model refuses")
                .isEmpty();
    }

    /** Stops the brokers started so far. */
    public void stopBrokers() {
        started.forEach(BrokerProcess::close);
        started.clear();
    }

    /** Stops everything, once the IAM policy the project ships is found to allow all the broker's calls. */
    @Override
    public void close() {
        try {
            assertThat(IamPolicyCoverage.ofProjectPolicy()
                            .notAllowed(aws.permissionsUsed(aws.accessKey().id())))
                    .as("actions the broker needed that docs/aws-iam-policy.json does not allow")
                    .isEmpty();
        } finally {
            stopBrokers();
            inspector.close();
            cacheInspector.close();
            aws.close();
            if (state != null) {
                try {
                    state.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
