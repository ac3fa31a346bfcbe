package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.aws.testbed.fake.AccessKeys;
import io.paasbroker.aws.testbed.fake.FakeRds;
import io.paasbroker.aws.testbed.fake.StatusTimings;
import io.paasbroker.aws.testbed.fake.TestBedCertificates;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The RDS provisioner against the fake RDS of the test bed, as the broker would run it: one account whose RDS endpoint
 * is the fake's and whose RDS CA is the test bed's, the master passwords in a credential store of the test's.
 */
final class RdsTestBed implements AutoCloseable {

    static final String REGION = "eu-west-2";

    final Path work;
    final TestBedCertificates certificates;
    final FakeRds rds;
    final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();
    final AccessKeys keys = AccessKeys.withFirstKey();
    /** The broker's clients, signing with the test bed's first key. */
    final AwsClients clients;
    /** The tests' own look at the fake, signing with a key of its own so its calls are not counted as the broker's. */
    final RdsClient inspector;

    final RdsPostgresProvisioner provisioner;

    RdsTestBed() {
        this(Clock.systemUTC());
    }

    /** {@code clock}: the fake's, which decides when its statuses move on. */
    RdsTestBed(Clock clock) {
        try {
            work = Files.createTempDirectory("rds-test-bed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        certificates = TestBedCertificates.in(work.resolve("tls"));
        Duration step = Duration.ofMillis(300);
        rds = new FakeRds(
                REGION,
                work.resolve("rds"),
                certificates,
                keys,
                new StatusTimings(Duration.ofMillis(800), step, step, step),
                clock);
        clients = new AwsClients(
                Map.of(
                        "default",
                        new AwsAccount(
                                "default",
                                REGION,
                                null,
                                null,
                                Map.of("rds", rds.endpoint()),
                                certificates.caCertificatePem(),
                                certificates.caCertificatePem())),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        keys.first().id(), keys.first().secret())));
        provisioner = provisioner("pbtest");
        inspector = rds.client(keys.issue());
    }

    /** A plan of the provisioner: {@code overrides} on top of a small PostgreSQL 15 instance. */
    static Plan plan(String name, Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("engine_version", "15");
        properties.put("instance_class", "db.t4g.micro");
        properties.put("allocated_storage", 20);
        properties.put("skip_final_snapshot", true);
        properties.put("allowed_extensions", List.of("pgcrypto", "citext"));
        properties.putAll(overrides);
        return new Plan(
                "plan-aws-" + name,
                name,
                "PostgreSQL on an RDS instance of its own",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new ProvisionerSpec(RdsPostgresProvisioner.NAME, properties),
                null,
                null);
    }

    /** A provisioner of the test bed whose resources' names start with {@code prefix}: another broker's. */
    RdsPostgresProvisioner provisioner(String prefix) {
        return new RdsPostgresProvisioner(clients, new MasterPasswords(new MapSecretStore(secrets)), prefix);
    }

    /** The IAM actions the broker's requests needed. */
    Set<String> brokerPermissionsUsed() {
        return rds.permissionsUsed(keys.first().id());
    }

    String masterPassword(String instanceId) {
        return new MasterPasswords(new MapSecretStore(secrets)).of(instanceId);
    }

    /** Stops the fake's servers and removes their data. */
    @Override
    public void close() {
        inspector.close();
        clients.close();
        rds.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
