package io.paasbroker.aws.testbed;

import io.paasbroker.aws.testbed.fake.AccessKeys;
import io.paasbroker.aws.testbed.fake.FakeElastiCache;
import io.paasbroker.aws.testbed.fake.FakeIam;
import io.paasbroker.aws.testbed.fake.FakeOpenSearch;
import io.paasbroker.aws.testbed.fake.FakeRds;
import io.paasbroker.aws.testbed.fake.FakeS3;
import io.paasbroker.aws.testbed.fake.FakeSecretsManager;
import io.paasbroker.aws.testbed.fake.FakeSts;
import io.paasbroker.aws.testbed.fake.ManualSnapshots;
import io.paasbroker.aws.testbed.fake.StatusTimings;
import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * The AWS test bed as a process of its own, for trying the broker's aws plans with curl: the fake AWS services on
 * loopback ports, each request checked against AWS's published models, and the broker's settings for them written to
 * {@code <work>/broker.properties} and its access key to {@code <work>/credentials.env}. Statuses last about as long as a small instance's on AWS, scaled down
 * ({@link #TRY_IT}). Runs until stopped (Ctrl-C), then stops every server it started.
 */
public final class AwsTestBed implements AutoCloseable {

    public static final String REGION = "eu-west-2";

    /** What the try-it process waits: creating an RDS instance takes 20 s, its first backup 5 s, a change 10 s. */
    public static final StatusTimings TRY_IT = new StatusTimings(
            Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final TestBedCertificates certificates;
    private final AccessKeys keys;
    private final FakeRds rds;
    private final FakeElastiCache elastiCache;
    private final FakeIam iam;
    private final FakeS3 s3;
    private final FakeOpenSearch openSearch;
    private final FakeSts sts;
    private final FakeSecretsManager secretsManager;

    /**
     * The bucket of the fake S3 the broker keeps its streamed backups in (as an operator gives it one of the account's
     * buckets), made when the test bed starts.
     */
    public static final String BACKUP_BUCKET = "paasbroker-backups";

    /**
     * The bucket of the fake S3 the broker keeps OpenSearch domains' manual snapshots in, made when the test bed
     * starts. Its objects are files under the test bed's work directory, where the domains' nodes write their
     * snapshots.
     */
    public static final String SNAPSHOT_BUCKET = "paasbroker-search-snapshots";

    /** The role a domain's snapshot repository is registered with ({@code role_arn}): the one the broker may pass. */
    public static final String SNAPSHOT_ROLE_ARN =
            "arn:aws:iam::" + FakeRds.ACCOUNT + ":role/paasbroker-search-snapshots";

    /** How long after IAM makes an access key S3 takes it: AWS says "a few seconds". */
    public static final Duration KEY_PROPAGATION = Duration.ofSeconds(2);

    private AwsTestBed(
            TestBedCertificates certificates,
            AccessKeys keys,
            FakeRds rds,
            FakeElastiCache elastiCache,
            FakeIam iam,
            FakeS3 s3,
            FakeOpenSearch openSearch,
            FakeSts sts,
            FakeSecretsManager secretsManager) {
        this.certificates = certificates;
        this.keys = keys;
        this.rds = rds;
        this.elastiCache = elastiCache;
        this.iam = iam;
        this.s3 = s3;
        this.openSearch = openSearch;
        this.sts = sts;
        this.secretsManager = secretsManager;
    }

    /** The fakes, keeping what they serve under {@code work}, with one access key of their own. */
    public static AwsTestBed start(Path work, StatusTimings timings) {
        return start(work, timings, Clock.systemUTC());
    }

    /** {@code clock}: the fakes', which decides when their statuses move on. */
    public static AwsTestBed start(Path work, StatusTimings timings, Clock clock) {
        return start(work, timings, clock, KEY_PROPAGATION);
    }

    /**
     * {@code keyPropagation}: how long after IAM makes a key S3 takes it, by {@code clock} (none for a suite whose
     * manual clock stands still while a step runs).
     */
    public static AwsTestBed start(Path work, StatusTimings timings, Clock clock, Duration keyPropagation) {
        TestBedCertificates certificates = TestBedCertificates.in(work.resolve("tls"));
        AccessKeys keys = AccessKeys.withFirstKey(clock);
        FakeIam iam = new FakeIam(keys, keyPropagation, clock);
        FakeS3 s3 = new FakeS3(REGION, keys, iam);
        try (var client = s3.client(keys.first())) {
            client.createBucket(
                    b -> b.bucket(BACKUP_BUCKET).createBucketConfiguration(c -> c.locationConstraint(REGION)));
        }
        // absolute: the nodes' path.repo, and the repositories' locations, are read in the nodes' own directories
        Path onDisk = work.resolve("s3-on-disk").toAbsolutePath().normalize();
        s3.createBucketOnDisk(SNAPSHOT_BUCKET, onDisk);
        FakeSts sts = new FakeSts(REGION, keys, clock);
        FakeSecretsManager secretsManager = new FakeSecretsManager(REGION, keys, clock);
        return new AwsTestBed(
                certificates,
                keys,
                new FakeRds(REGION, work.resolve("rds"), certificates, keys, secretsManager, timings, clock),
                new FakeElastiCache(REGION, work.resolve("elasticache"), certificates, keys, timings, clock),
                iam,
                s3,
                new FakeOpenSearch(
                        REGION,
                        work.resolve("opensearch"),
                        certificates,
                        keys,
                        new ManualSnapshots(SNAPSHOT_ROLE_ARN, onDisk, s3, sts),
                        timings,
                        clock),
                sts,
                secretsManager);
    }

    /** The key a client signs with: the account's first. */
    public AccessKeys.Key accessKey() {
        return keys.first();
    }

    public FakeRds rds() {
        return rds;
    }

    public FakeElastiCache elastiCache() {
        return elastiCache;
    }

    public FakeIam iam() {
        return iam;
    }

    public FakeS3 s3() {
        return s3;
    }

    public FakeOpenSearch openSearch() {
        return openSearch;
    }

    public FakeSts sts() {
        return sts;
    }

    public FakeSecretsManager secretsManager() {
        return secretsManager;
    }

    public TestBedCertificates certificates() {
        return certificates;
    }

    /**
     * The broker's settings for an account named {@code default} in this test bed, and for a backup store in its S3,
     * as {@code name=value}.
     */
    public Map<String, String> brokerProperties() {
        String account = "paasbroker.aws.accounts.default.";
        return Map.ofEntries(
                Map.entry(account + "region", REGION),
                Map.entry(account + "endpoints.rds", rds.endpoint().toString()),
                Map.entry(
                        account + "endpoints.elasticache",
                        elastiCache.endpoint().toString()),
                Map.entry(account + "endpoints.iam", iam.endpoint().toString()),
                Map.entry(account + "endpoints.s3", s3.endpoint().toString()),
                Map.entry(account + "endpoints.es", openSearch.endpoint().toString()),
                Map.entry(account + "endpoints.sts", sts.endpoint().toString()),
                Map.entry(
                        account + "endpoints.secretsmanager",
                        secretsManager.endpoint().toString()),
                Map.entry(account + "rds-ca-certificate", certificates.caCertificatePem()),
                Map.entry(account + "cache-ca-certificate", certificates.caCertificatePem()),
                Map.entry(account + "search-ca-certificate", certificates.caCertificatePem()),
                Map.entry("paasbroker.backups.store.bucket", BACKUP_BUCKET),
                Map.entry("paasbroker.backups.store.endpoint", s3.endpoint().toString()),
                Map.entry("paasbroker.backups.store.region", REGION),
                Map.entry("paasbroker.backups.store.path-style", "true"));
    }

    /** What every fake refused of the requests it was sent since the last call: the conformance gate's findings. */
    public List<String> takeViolations() {
        List<String> violations = new ArrayList<>(rds.takeViolations());
        violations.addAll(elastiCache.takeViolations());
        violations.addAll(iam.takeViolations());
        violations.addAll(s3.takeViolations());
        violations.addAll(openSearch.takeViolations());
        violations.addAll(sts.takeViolations());
        violations.addAll(secretsManager.takeViolations());
        return violations;
    }

    /** The IAM actions the requests signed by {@code keyId} needed: see {@link IamPolicyCoverage}. */
    public Set<String> permissionsUsed(String keyId) {
        Set<String> used = new TreeSet<>(rds.permissionsUsed(keyId));
        used.addAll(elastiCache.permissionsUsed(keyId));
        used.addAll(iam.permissionsUsed(keyId));
        used.addAll(s3.permissionsUsed(keyId));
        used.addAll(openSearch.permissionsUsed(keyId));
        used.addAll(sts.permissionsUsed(keyId));
        used.addAll(secretsManager.permissionsUsed(keyId));
        return used;
    }

    /** A new access key the fakes accept: for a client that is not the broker (a test's own look, an operator). */
    public AccessKeys.Key issueKey() {
        return keys.issue();
    }

    @Override
    public void close() {
        rds.close();
        elastiCache.close();
        s3.close();
        openSearch.close();
        sts.close();
        secretsManager.close();
        iam.close();
    }

    /** {@code args[0]}: the work directory, {@code aws-testbed-data} when none is given. */
    public static void main(String[] args) throws InterruptedException {
        Path work = Path.of(args.length > 0 ? args[0] : "aws-testbed-data").toAbsolutePath();
        AwsTestBed bed = start(work, TRY_IT);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bed.close();
            stopped.countDown();
        }));
        Path settings = work.resolve("broker.properties");
        Properties properties = new Properties();
        properties.putAll(bed.brokerProperties());
        properties.put("paasbroker.catalog", "classpath:catalog-aws.yml");
        try (Writer out = Files.newBufferedWriter(settings, StandardCharsets.UTF_8)) {
            properties.store(out, "the broker's settings for the AWS test bed (fakes, not AWS)");
        } catch (IOException e) {
            bed.close();
            throw new UncheckedIOException("cannot write " + settings, e);
        }
        Path credentials = work.resolve("credentials.env");
        try {
            Files.deleteIfExists(credentials);
            Files.createFile(
                    credentials, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    credentials,
                    "# the AWS test bed's access key (it checks every request's signature); not an AWS key\n"
                            + "export AWS_ACCESS_KEY_ID=" + bed.accessKey().id() + "\n"
                            + "export AWS_SECRET_ACCESS_KEY=" + bed.accessKey().secret() + "\n");
        } catch (IOException e) {
            bed.close();
            throw new UncheckedIOException("cannot write " + credentials, e);
        }
        System.out.println("AWS test bed: fake RDS at " + bed.rds.endpoint() + ", fake ElastiCache at "
                + bed.elastiCache.endpoint() + ", fake IAM at " + bed.iam.endpoint() + ", fake S3 at "
                + bed.s3.endpoint() + ", fake OpenSearch Service at " + bed.openSearch.endpoint()
                + ", fake Secrets Manager at " + bed.secretsManager.endpoint() + " (region " + REGION
                + ")");
        System.out.println("Start the broker against it with its settings and access key:");
        System.out.println("  (. " + credentials + " && bin/run-broker --spring.config.import=file:" + settings + ")");
        stopped.await();
    }
}
