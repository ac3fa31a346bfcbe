package io.paasbroker.provisioner.azure.redis;

import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.azure.AzureLiveRun;
import io.paasbroker.provisioner.azure.AzureLiveSubscription;
import io.paasbroker.provisioner.credentials.RedisEntraIdCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The provisioner contract against a real Azure subscription's Azure Managed Redis: runs only when
 * {@code PAASBROKER_AZURE_LIVE_SUBSCRIPTION_ID} names a subscription (see {@link AzureLiveSubscription}) and
 * {@code PAASBROKER_AZURE_LIVE_REDIS_APPLICATIONS_FILE} names a file of two application identities or more of the
 * subscription's tenant, one a line ({@code <tenant id> <client id> <client secret> <object id>}), that the bindings
 * let in (Azure takes one assignment per identity and cache, so two bindings of one cache need two); reported as
 * skipped, never as passed, otherwise. Its caches are named with a prefix of this run's own; the reaper deletes
 * whatever the run left, whatever happened. A cache takes Azure minutes to make.
 */
@EnabledIfEnvironmentVariable(named = AzureLiveSubscription.SUBSCRIPTION, matches = ".+")
@EnabledIfEnvironmentVariable(named = ManagedRedisLiveIT.APPLICATIONS, matches = ".+")
class ManagedRedisLiveIT extends ServiceProvisionerContract {

    static final String APPLICATIONS = "PAASBROKER_AZURE_LIVE_REDIS_APPLICATIONS_FILE";

    private static final AzureLiveRun<ManagedRedisProvisioner> RUN = new AzureLiveRun<>();

    /** An application identity of the file: one line of it. */
    private record Application(String tenantId, String clientId, String clientSecret, String objectId) {

        @Override
        public String toString() {
            return "Application[" + objectId + "]";
        }
    }

    private final List<Application> applications = applications();
    private final AtomicInteger bound = new AtomicInteger();
    /** Each binding's identity, the next of the file's in turn: two bindings of one instance in a row differ. */
    private final Map<String, Application> byBinding = new ConcurrentHashMap<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) -> CacheReaper.reap(
                clients, AzureLiveSubscription.subscriptionId(), AzureLiveSubscription.resourceGroup(), prefix));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private ManagedRedisProvisioner live() {
        return RUN.provisioner((clients, admins, prefix) -> new ManagedRedisProvisioner(clients, prefix), plan());
    }

    @Override
    protected Plan plan() {
        return AzureLiveSubscription.plan(
                "redis",
                "live",
                Map.of("location", AzureLiveSubscription.location(), "sku", "Balanced_B0", "high_availability", false));
    }

    @Override
    protected Map<String, Object> bindParameters(String bindingId) {
        Application application = byBinding.computeIfAbsent(
                bindingId, id -> applications.get(bound.getAndIncrement() % applications.size()));
        return Map.of(ManagedRedisProvisioner.OBJECT_ID, application.objectId());
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new EntraRedisSession(credentials, this::token);
    }

    /** A token for Redis, as the application of that object id gets one from Entra ID through the Azure SDK. */
    private String token(String objectId) {
        Application application = applications.stream()
                .filter(candidate -> candidate.objectId().equalsIgnoreCase(objectId))
                .findFirst()
                .orElseThrow();
        return new ClientSecretCredentialBuilder()
                .tenantId(application.tenantId())
                .clientId(application.clientId())
                .clientSecret(application.clientSecret())
                .build()
                .getTokenSync(new TokenRequestContext().addScopes(RedisEntraIdCredentials.SCOPE))
                .getToken();
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofMinutes(45);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofSeconds(15);
    }

    /** The instance's cache and the access policy assignments of its bindings. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>();
        String cache = live().cache(instanceId);
        String id = ManagedRedisProvisioner.plan(plan()).cacheId(cache);
        RUN.clients()
                .arm()
                .find(id, ManagedRedisProvisioner.API_VERSION, "reading " + cache)
                .ifPresent(found -> {
                    left.add("cache:" + cache);
                    RUN.clients()
                            .arm()
                            .list(
                                    id + "/databases/" + ManagedRedisProvisioner.DATABASE + "/accessPolicyAssignments",
                                    ManagedRedisProvisioner.API_VERSION,
                                    "listing the assignments of " + cache)
                            .forEach(assignment -> left.add(
                                    "assignment:" + assignment.path("name").asText()));
                });
        return left;
    }

    private static List<Application> applications() {
        try {
            List<Application> read = Files.readAllLines(Path.of(System.getenv(APPLICATIONS))).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+"))
                    .map(fields -> new Application(fields[0], fields[1], fields[2], fields[3]))
                    .toList();
            if (read.size() < 2) {
                throw new IllegalStateException(APPLICATIONS + " must name two application identities or more");
            }
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(APPLICATIONS + " names a file that cannot be read", e);
        }
    }
}
