package io.paasbroker.aws.testbed.fake;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.opensearch.model.CreateDomainRequest;
import software.amazon.awssdk.services.opensearch.model.MasterUserOptions;
import software.amazon.awssdk.services.opensearch.model.UpdateDomainConfigRequest;

/**
 * One domain of the fake OpenSearch Service and the real OpenSearch node behind it ({@link SearchNodes}), its own for
 * as long as the domain exists, reached through the node's {@link SearchDomainGateway}. The domain's master user
 * becomes an internal user of the node with the node administrator's backend role ({@code all_access} and the
 * security REST API), as OpenSearch Service maps its master user. Its status moves on by the fake's clock:
 * creating until the node is up and {@code creating} has passed, then active with its endpoint; modifying for
 * {@code modifying} after a change; gone {@code deleting} after its deletion.
 */
final class SearchDomain {

    final String name;
    final String id;
    final String arn;
    /** The domain's configuration as created and updated: the CreateDomain request, with the updates' options. */
    private volatile CreateDomainRequest config;

    final Map<String, String> tags = new ConcurrentHashMap<>();
    private final Clock clock;
    private final StatusTimings timings;
    private final CompletableFuture<SearchDomainGateway> gateway;
    private final Instant createdAt;
    private volatile Instant busyUntil;
    private volatile Instant deletedAt;

    SearchDomain(
            String name,
            String arn,
            CreateDomainRequest config,
            SearchNodes nodes,
            Clock clock,
            StatusTimings timings) {
        this.name = name;
        this.id = FakeRds.ACCOUNT + "/" + name;
        this.arn = arn;
        this.config = config;
        this.clock = clock;
        this.timings = timings;
        this.createdAt = clock.instant();
        this.busyUntil = createdAt;
        MasterUserOptions master = config.advancedSecurityOptions().masterUserOptions();
        this.gateway = nodes.take(master.masterUserName(), master.masterUserPassword());
    }

    CreateDomainRequest config() {
        return config;
    }

    /** Takes the options {@code change} sets into the configuration, and works on them a while. */
    void update(UpdateDomainConfigRequest change) {
        CreateDomainRequest.Builder updated = config.toBuilder();
        if (change.clusterConfig() != null) {
            updated.clusterConfig(change.clusterConfig());
        }
        if (change.ebsOptions() != null) {
            updated.ebsOptions(change.ebsOptions());
        }
        if (change.accessPolicies() != null) {
            updated.accessPolicies(change.accessPolicies());
        }
        if (change.domainEndpointOptions() != null) {
            updated.domainEndpointOptions(change.domainEndpointOptions());
        }
        if (change.vpcOptions() != null) {
            updated.vpcOptions(change.vpcOptions());
        }
        config = updated.build();
        busyUntil = clock.instant().plus(timings.modifying());
    }

    void delete() {
        if (deletedAt == null) {
            deletedAt = clock.instant();
        }
    }

    boolean deleted() {
        return deletedAt != null;
    }

    /** Its node's front, which the pool takes back with the node once the domain is gone. */
    CompletableFuture<SearchDomainGateway> gateway() {
        return gateway;
    }

    /** Whether its deletion has taken as long as deletions take: then the fake forgets it. */
    boolean gone() {
        return deletedAt != null && !clock.instant().isBefore(deletedAt.plus(timings.deleting()));
    }

    /** Whether it is working on a create, change or deletion. */
    boolean processing() {
        return deletedAt != null || !created() || clock.instant().isBefore(busyUntil);
    }

    /** What OpenSearch Service's DomainProcessingStatus says of it. */
    String processingStatus() {
        if (deletedAt != null) {
            return "Deleting";
        }
        if (!created()) {
            return "Creating";
        }
        return clock.instant().isBefore(busyUntil) ? "Modifying" : "Active";
    }

    /**
     * Its endpoint, {@code 127.0.0.1:<port>} of its gateway, from the end of its creation on; a node that failed to
     * start throws.
     */
    Optional<String> endpoint() {
        if (!created()) {
            return Optional.empty();
        }
        return Optional.of(gateway.join().endpoint());
    }

    /** Whether its node is up (or failed) and creating has taken as long as the test bed's creations take. */
    private boolean created() {
        return gateway.isDone() && !clock.instant().isBefore(createdAt.plus(timings.creating()));
    }

    Instant createdAt() {
        return createdAt;
    }
}
