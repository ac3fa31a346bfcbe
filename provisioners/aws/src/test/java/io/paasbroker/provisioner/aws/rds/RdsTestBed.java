package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.fake.FakeRds;
import io.paasbroker.aws.testbed.fake.TestBedCertificates;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.aws.AwsPlans;
import io.paasbroker.provisioner.aws.TestBedAccount;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;

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

    final RdsPostgresProvisioner provisioner;

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

    /** A provisioner of the test bed whose resources' names start with {@code prefix}: another broker's. */
    RdsPostgresProvisioner provisioner(String prefix) {
        return new RdsPostgresProvisioner(account.clients, account.masters(), prefix);
    }

    /** The IAM actions the broker's requests needed. */
    Set<String> brokerPermissionsUsed() {
        return rds.permissionsUsed(account.bed.accessKey().id());
    }

    String masterPassword(String instanceId) {
        return account.masters().of(instanceId);
    }

    /** Stops the fake's servers and removes their data. */
    @Override
    public void close() {
        inspector.close();
        account.close();
    }
}
