package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.fake.FakeRds;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.aws.AwsPlans;
import io.paasbroker.provisioner.aws.TestBedAccount;
import io.paasbroker.testbed.TestBedCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * The RDS provisioner against the fake RDS of the test bed's account ({@link TestBedAccount}), as the broker would run
 * it.
 */
final class RdsTestBed implements AutoCloseable {

    static final String REGION = AwsTestBed.REGION;

    final TestBedAccount account;
    final TestBedCertificates certificates;
    final FakeRds rds;
    final Map<String, Map<String, Object>> secrets;
    /** The tests' own look at the fake, signing with a key of its own so its calls are not counted as the broker's. */
    final RdsClient inspector;

    /** PostgreSQL plans. */
    final RdsProvisioner provisioner;
    /** MySQL and MariaDB plans. */
    final RdsProvisioner mysql;

    RdsTestBed() {
        this(Clock.systemUTC());
    }

    /** {@code clock}: the fake's, which decides when its statuses move on. */
    RdsTestBed(Clock clock) {
        account = new TestBedAccount(clock);
        certificates = account.bed.certificates();
        rds = account.bed.rds();
        secrets = account.secrets;
        provisioner = provisioner("pbtest");
        mysql = RdsProvisioner.mysql(account.clients, account.masters(), "pbtest");
        inspector = rds.client(account.bed.issueKey());
    }

    /** A plan of the provisioner: {@code overrides} on top of a small PostgreSQL 15 instance. */
    static Plan plan(String name, Map<String, Object> overrides) {
        return AwsPlans.plan(
                "postgresql",
                name,
                "PostgreSQL on an RDS instance of its own",
                Map.of(
                        "engine_version",
                        "15",
                        "instance_class",
                        "db.t4g.micro",
                        "allocated_storage",
                        20,
                        "skip_final_snapshot",
                        true,
                        "allowed_extensions",
                        List.of("pgcrypto", "citext")),
                overrides);
    }

    /** A plan of the MySQL provisioner: {@code overrides} on top of a small MySQL 8.0 instance. */
    static Plan mysqlPlan(String name, Map<String, Object> overrides) {
        return AwsPlans.plan(
                "mysql",
                name,
                "MySQL on an RDS instance of its own",
                Map.of(
                        "engine_version",
                        "8.0",
                        "instance_class",
                        "db.t4g.micro",
                        "allocated_storage",
                        20,
                        "skip_final_snapshot",
                        true),
                overrides);
    }

    /** A provisioner of the test bed whose resources' names start with {@code prefix}: another broker's. */
    RdsProvisioner provisioner(String prefix) {
        return RdsProvisioner.postgres(account.clients, account.masters(), prefix);
    }

    /** The IAM actions the broker's requests needed. */
    Set<String> brokerPermissionsUsed() {
        return account.bed.permissionsUsed(account.bed.accessKey().id());
    }

    /** What the fakes refused of the requests they were sent since the last call. */
    List<String> takeViolations() {
        return account.bed.takeViolations();
    }

    String masterPassword(String instanceId) {
        return account.masters().of(instanceId);
    }

    /** The master password RDS keeps in the secret {@code secretArn}, read with a key that is not the broker's. */
    String managedMasterPassword(String secretArn) {
        try (var secrets = account.bed.secretsManager().client(account.bed.issueKey())) {
            return new ObjectMapper()
                    .readTree(secrets.getSecretValue(b -> b.secretId(secretArn)).secretString())
                    .path("password")
                    .asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RDS instance of the service instance, as RDS describes it now; none once it is gone. */
    Optional<DBInstance> describe(RdsProvisioner of, String instanceId) {
        try {
            return inspector
                    .describeDBInstances(b -> b.dbInstanceIdentifier(of.identifier(instanceId)))
                    .dbInstances()
                    .stream()
                    .findFirst();
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        }
    }

    void awaitGone(RdsProvisioner of, String instanceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (describe(of, instanceId).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the RDS instance of " + instanceId + " is still there");
            }
            pause();
        }
    }

    /** The step, polled to its end within a minute. */
    static StepOutcome.Completed completed(StepOutcome outcome, Function<String, StepOutcome> poll) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (outcome instanceof StepOutcome.InProgress progress) {
            assertThat(Instant.now()).as(progress.description()).isBefore(deadline);
            pause();
            outcome = poll.apply(progress.reference());
        }
        return (StepOutcome.Completed) outcome;
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the fake's servers and removes their data. */
    @Override
    public void close() {
        inspector.close();
        account.close();
    }
}
