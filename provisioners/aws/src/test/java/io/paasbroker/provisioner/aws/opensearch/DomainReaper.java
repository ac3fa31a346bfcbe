package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.provisioner.aws.Sweeper;
import java.util.List;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DomainInfo;

/**
 * Deletes what one run of a suite left in an account: every OpenSearch Service domain whose name starts with the
 * run's prefix, swept until OpenSearch Service lists none ({@link Sweeper}: a domain being deleted is still listed,
 * and asked again). A live run names its domains with a prefix of its own, so the reaper touches nothing else.
 */
final class DomainReaper {

    private DomainReaper() {}

    /** Deletes the run's domains; answers those it found. */
    static List<String> reap(OpenSearchClient openSearch, String prefix) {
        List<String> found = domainsOf(openSearch, prefix);
        Sweeper.sweep(
                () -> domainsOf(openSearch, prefix), domain -> openSearch.deleteDomain(b -> b.domainName(domain)));
        return found;
    }

    private static List<String> domainsOf(OpenSearchClient openSearch, String prefix) {
        return openSearch.listDomainNames(b -> {}).domainNames().stream()
                .map(DomainInfo::domainName)
                .filter(name -> name.startsWith(prefix + "-"))
                .toList();
    }
}
