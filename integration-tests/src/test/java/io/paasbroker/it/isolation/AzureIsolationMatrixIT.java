package io.paasbroker.it.isolation;

import io.paasbroker.it.AzureTestBedBrokers;
import io.paasbroker.it.BrokerProcess;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The isolation matrix of the azure plans: the broker with {@code catalog-azure.yml} against the Azure test bed, each
 * PostgreSQL or MySQL instance a flexible server of its own with a real PostgreSQL (or MariaDB) behind it, each Blob
 * Storage instance a container of its own in Azurite, each Redis instance an Azure Managed Redis cache of its own
 * with a real Redis behind it, which the applications' Entra ID identities log in to.
 */
class AzureIsolationMatrixIT extends IsolationMatrix {

    private static AzureTestBedBrokers brokers;
    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        brokers = new AzureTestBedBrokers();
        broker = brokers.start("azure-isolation");
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
                DedicatedPostgresProbe.onFlexibleServer(),
                DedicatedMysqlProbe.onFlexibleServer(),
                new BlobProbe(AzureTestBedBrokers.BLOB, AzureTestBedBrokers.BLOB_SCRATCH),
                new ManagedRedisProbe(brokers));
    }
}
