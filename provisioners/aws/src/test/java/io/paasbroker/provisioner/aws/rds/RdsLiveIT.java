package io.paasbroker.provisioner.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.LiveAccount;
import io.paasbroker.provisioner.aws.LiveRun;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * The provisioner contract against a real AWS account: runs only when {@code PAASBROKER_AWS_LIVE_REGION} names a
 * region (and is reported as skipped, never as passed, otherwise). It uses the AWS SDK's default credential chain,
 * optionally a role to assume ({@code PAASBROKER_AWS_LIVE_ROLE_ARN}), the subnet group and security groups of a VPC
 * this machine can reach ({@code PAASBROKER_AWS_LIVE_DB_SUBNET_GROUP}, {@code PAASBROKER_AWS_LIVE_SECURITY_GROUP_IDS},
 * comma-separated) and the region's RDS root CA ({@code PAASBROKER_AWS_LIVE_RDS_CA_FILE}). Every resource is named
 * and tagged with a prefix of this run's own, and the reaper deletes whatever the run left, whatever happened. It
 * makes real, billed db.t4g.micro instances; a whole run takes hours. PostgreSQL here; {@link RdsMysqlLiveIT} runs
 * the same for MySQL.
 */
@EnabledIfEnvironmentVariable(named = "PAASBROKER_AWS_LIVE_REGION", matches = ".+")
class RdsLiveIT extends RdsContract {

    private static final LiveRun<RdsProvisioner> RUN = new LiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) -> RdsReaper.reap(clients.rds("default", LiveAccount.region()), prefix));
    }

    /** The provisioner of the engine under test. */
    RdsProvisioner provisioner(AwsClients clients, MasterPasswords masters, String prefix) {
        return RdsProvisioner.postgres(clients, masters, prefix);
    }

    /** A plan of the engine under test, of {@code properties}. */
    Plan plan(Map<String, Object> properties) {
        return RdsTestBed.plan("live", properties);
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private RdsProvisioner live() {
        return RUN.provisioner(ca(), this::provisioner, plan());
    }

    @Override
    protected Plan plan() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("instance_class", "db.t4g.micro");
        properties.put("allocated_storage", 20);
        properties.put("backup_retention_days", 0);
        properties.put("skip_final_snapshot", true);
        Optional.ofNullable(System.getenv("PAASBROKER_AWS_LIVE_DB_SUBNET_GROUP"))
                .ifPresent(group -> properties.put("db_subnet_group", group));
        Optional.ofNullable(System.getenv("PAASBROKER_AWS_LIVE_SECURITY_GROUP_IDS"))
                .ifPresent(ids -> properties.put("vpc_security_group_ids", List.of(ids.split(","))));
        return plan(properties);
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
        try {
            return RUN
                    .clients()
                    .rds("default", LiveAccount.region())
                    .describeDBInstances(b -> b.dbInstanceIdentifier(live().identifier(instanceId)))
                    .dbInstances()
                    .stream()
                    .map(instance -> "rds:" + instance.dbInstanceIdentifier())
                    .toList();
        } catch (DbInstanceNotFoundException e) {
            assertThat(RUN.secretsOf(instanceId)).isEmpty();
            return List.of();
        }
    }

    private static String ca() {
        String file = System.getenv("PAASBROKER_AWS_LIVE_RDS_CA_FILE");
        try {
            return file == null ? null : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
