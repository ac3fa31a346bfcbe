package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.aws.LiveAccount;
import io.paasbroker.provisioner.aws.LiveRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The provisioner contract against a real AWS account's OpenSearch Service: runs only when
 * {@code PAASBROKER_AWS_LIVE_REGION} names a region (and is reported as skipped, never as passed, otherwise), with
 * the AWS SDK's default credential chain and optionally a role to assume ({@code PAASBROKER_AWS_LIVE_ROLE_ARN}). The
 * domains are public, reached from this machine, limited to {@code PAASBROKER_AWS_LIVE_ALLOWED_CIDRS}
 * (comma-separated) where given; bindings verify the domains' public certificates with the JVM's CAs. Domains are
 * named with a prefix of this run's own, and the reaper deletes whatever the run left, whatever happened. It makes
 * real, billed t3.small.search domains; a whole run takes hours.
 */
@EnabledIfEnvironmentVariable(named = "PAASBROKER_AWS_LIVE_REGION", matches = ".+")
class OpenSearchLiveIT extends OpenSearchContract {

    private static final LiveRun<OpenSearchDomainProvisioner> RUN = new LiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) -> DomainReaper.reap(clients.openSearch("default", LiveAccount.region()), prefix));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private OpenSearchDomainProvisioner live() {
        return RUN.provisioner(null, OpenSearchDomainProvisioner::new, plan());
    }

    @Override
    protected Plan plan() {
        return plan(
                "live",
                Optional.ofNullable(System.getenv("PAASBROKER_AWS_LIVE_ALLOWED_CIDRS"))
                        .<Map<String, Object>>map(cidrs -> Map.of("allowed_cidrs", List.of(cidrs.split(","))))
                        .orElse(Map.of()));
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofMinutes(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>();
        String domain = live().domainName(instanceId);
        RUN.clients().openSearch("default", LiveAccount.region()).listDomainNames(b -> {}).domainNames().stream()
                .filter(info -> info.domainName().equals(domain))
                .forEach(info -> left.add("domain:" + domain));
        left.addAll(RUN.secretsOf(instanceId));
        return left;
    }
}
