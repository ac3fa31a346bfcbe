package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link RdsLiveIT} for RDS for MySQL 8.0: against a real AWS account only when one is named. */
@EnabledIfEnvironmentVariable(named = "PAASBROKER_AWS_LIVE_REGION", matches = ".+")
class RdsMysqlLiveIT extends RdsLiveIT {

    @Override
    RdsProvisioner provisioner(AwsClients clients, MasterPasswords masters, String prefix) {
        return RdsProvisioner.mysql(clients, masters, prefix);
    }

    @Override
    Plan plan(Map<String, Object> properties) {
        return RdsTestBed.mysqlPlan("live", properties);
    }
}
