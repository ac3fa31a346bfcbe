package io.paasbroker.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.IamPolicyCoverage;
import io.paasbroker.aws.testbed.fake.StatusTimings;
import io.paasbroker.provisioner.host.MapSecretStore;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS test bed as the broker's one account sees it: the fakes in a directory of their own, short statuses, the
 * account named {@code default} whose endpoints are the fakes' and whose CAs are the test bed's, the broker's clients
 * signing with the test bed's first key, and a credential store of the test's own.
 */
public final class TestBedAccount implements AutoCloseable {

    public final Path work;
    public final AwsTestBed bed;
    public final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();
    public final AwsClients clients;

    /** {@code clock}: the fakes', which decides when their statuses move on. */
    public TestBedAccount(Clock clock) {
        this(clock, AwsTestBed.KEY_PROPAGATION);
    }

    /** {@code keyPropagation}: how long the fake IAM's keys take to work, by {@code clock}. */
    public TestBedAccount(Clock clock, Duration keyPropagation) {
        try {
            work = Files.createTempDirectory("aws-test-bed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration step = Duration.ofMillis(300);
        bed = AwsTestBed.start(
                work, new StatusTimings(Duration.ofMillis(800), step, step, step), clock, keyPropagation);
        clients = clientsOf(Map.of("default", account("default", null, null)));
    }

    /**
     * An account of the test bed as the broker is configured with one: the fakes' endpoints and CA, and a role to
     * assume in it (none: null) with the external id its trust policy asks for.
     */
    public AwsAccount account(String name, String roleArn, String externalId) {
        String ca = bed.certificates().caCertificatePem();
        return new AwsAccount(
                name,
                AwsTestBed.REGION,
                roleArn,
                externalId,
                Map.of(
                        "rds", bed.rds().endpoint(),
                        "elasticache", bed.elastiCache().endpoint(),
                        "iam", bed.iam().endpoint(),
                        "s3", bed.s3().endpoint(),
                        "es", bed.openSearch().endpoint(),
                        "sts", bed.sts().endpoint(),
                        "secretsmanager", bed.secretsManager().endpoint()),
                ca,
                ca,
                ca);
    }

    /** The broker's clients of {@code accounts}, signing with the test bed's first key (or a role's session). */
    public AwsClients clientsOf(Map<String, AwsAccount> accounts) {
        return new AwsClients(
                accounts,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        bed.accessKey().id(), bed.accessKey().secret())));
    }

    /** The master passwords and instance secrets, in the test's credential store. */
    public MasterPasswords masters() {
        return new MasterPasswords(new MapSecretStore(secrets));
    }

    /**
     * Stops the test bed, once the broker's key is found to have needed {@code expected} among its IAM actions and
     * nothing {@code docs/aws-iam-policy.json} does not allow.
     */
    public void closeCheckingTheIamPolicy(String... expected) {
        try {
            Set<String> used = bed.permissionsUsed(bed.accessKey().id());
            assertThat(used).contains(expected);
            assertThat(IamPolicyCoverage.ofProjectPolicy().notAllowed(used))
                    .as("actions docs/aws-iam-policy.json does not allow")
                    .isEmpty();
        } finally {
            close();
        }
    }

    /** Stops the fakes' servers and removes their data. */
    @Override
    public void close() {
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
