package io.paasbroker.it.isolation;

import io.paasbroker.it.AwsTestBedBrokers;
import io.paasbroker.it.BrokerProcess;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The isolation matrix of the aws plans: the broker with {@code catalog-aws.yml} against the AWS test bed, each
 * instance an RDS instance, an ElastiCache replication group, an S3 bucket or an OpenSearch Service domain of its own
 * with a real PostgreSQL, MariaDB (for MySQL), Redis, S3 or OpenSearch server behind it, and each S3 binding an IAM
 * user whose policy a real evaluator applies.
 */
class AwsIsolationMatrixIT extends IsolationMatrix {

    private static AwsTestBedBrokers brokers;
    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        brokers = new AwsTestBedBrokers();
        broker = brokers.start("aws-isolation");
    }

    @AfterEach
    void everyRequestPassedTheGate() {
        brokers.assertNoViolations();
    }

    @AfterAll
    static void stop() {
        brokers.close();
    }

    @Override
    protected BrokerProcess broker() {
        return broker;
    }

    static Stream<TenantProbe> services() {
        return Stream.of(
                DedicatedPostgresProbe.onRds(),
                DedicatedMysqlProbe.onRds(),
                new AwsRedisProbe(),
                S3Probe.onAws(AwsTestBedBrokers.S3, AwsTestBedBrokers.S3_SCRATCH),
                OpenSearchProbe.onAws(AwsTestBedBrokers.OPENSEARCH, AwsTestBedBrokers.OPENSEARCH_TINY));
    }
}
