package io.paasbroker.provisioner.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.aws.TestBedAccount;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;

/** The live suite's reaper, against the test bed: it deletes one run's domains and nothing of anyone else's. */
class DomainReaperIT {

    private static final TestBedAccount BED = new TestBedAccount(Clock.systemUTC());

    @AfterAll
    static void stopTestBed() {
        assertThat(BED.bed.takeViolations()).isEmpty();
        BED.close();
    }

    @Test
    @Timeout(180)
    void aRunsDomainsGoAndAnotherBrokersStay() {
        OpenSearchDomainProvisioner run = new OpenSearchDomainProvisioner(BED.clients, BED.masters(), "pbrun");
        OpenSearchDomainProvisioner other = new OpenSearchDomainProvisioner(BED.clients, BED.masters(), "pbother");
        String leftover = UUID.randomUUID().toString();
        String kept = UUID.randomUUID().toString();
        run.provision(request(leftover));
        other.provision(request(kept));

        try (OpenSearchClient openSearch = BED.bed.openSearch().client(BED.bed.issueKey())) {
            assertThat(DomainReaper.reap(openSearch, "pbrun")).containsExactly(run.domainName(leftover));

            assertThat(BED.bed.openSearch().domainNames()).containsExactly(other.domainName(kept));
            DomainReaper.reap(openSearch, "pbother");
            assertThat(BED.bed.openSearch().domainNames()).isEmpty();
        }
    }

    private static InstanceRequest request(String instance) {
        return new InstanceRequest(instance, OpenSearchContract.plan("reaped", Map.of()), Map.of(), Map.of(), Map.of());
    }
}
