package io.paasbroker.it.isolation;

import io.paasbroker.it.BrokerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The isolation matrix of every service on the broker's embedded default: shared servers, a tenancy on each. */
class IsolationMatrixIT extends IsolationMatrix {

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start(
                "isolation", Path.of("target", "it-work", "isolation-" + UUID.randomUUID()), List.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    protected BrokerProcess broker() {
        return broker;
    }

    static Stream<TenantProbe> services() {
        return Stream.of(
                new PostgresProbe(), new MysqlProbe(), new RedisProbe(), S3Probe.local(), OpenSearchProbe.local());
    }
}
