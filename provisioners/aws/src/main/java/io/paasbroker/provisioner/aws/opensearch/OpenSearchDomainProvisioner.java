package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.PlanProperties;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.AwsHealth;
import io.paasbroker.provisioner.host.MasterPasswords;
import io.paasbroker.provisioner.local.common.PolicyPasswords;
import io.paasbroker.provisioner.local.opensearch.OpenSearchServer;
import io.paasbroker.provisioner.local.opensearch.OpenSearchSnapshots;
import io.paasbroker.provisioner.local.opensearch.OpenSearchTenancy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.CreateDomainRequest;
import software.amazon.awssdk.services.opensearch.model.DomainProcessingStatusType;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.opensearch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.opensearch.model.Tag;
import software.amazon.awssdk.services.opensearch.model.UpdateDomainConfigRequest;

/**
 * OpenSearch on an OpenSearch Service domain of each service instance's own: encryption at rest and between nodes,
 * HTTPS only, and fine-grained access control whose master user's password the broker keeps in its credential store.
 * Inside the domain the tenancy is the one of clusters the operator runs ({@link OpenSearchTenancy}): the instance's
 * index prefix, a read-write and a read-only role over it, and an internal user per binding made through the domain's
 * security API as the master user — at once, so binds complete synchronously, and unbind revokes at once.
 * Backups are OpenSearch Service snapshots in the plan's S3 bucket where the plan names one ({@link DomainSnapshots}),
 * else streamed through the same API, in the format of the {@code local} plans.
 */
public final class OpenSearchDomainProvisioner implements ServiceProvisioner {

    public static final String NAME = "aws";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int HTTPS_PORT = 443;

    private final AwsClients clients;
    private final MasterPasswords secrets;
    private final String prefix;
    private final InstanceBackups backups;
    private final SnapshotRepositories repositories;
    private final DomainSnapshots snapshots;

    /** @param prefix what every domain name the broker makes starts with, and its {@code paasbroker:broker} tag */
    public OpenSearchDomainProvisioner(AwsClients clients, MasterPasswords secrets, String prefix) {
        this.clients = clients;
        this.secrets = secrets;
        this.prefix = prefix;
        this.backups = OpenSearchTenancy.backups(this::tenancy);
        this.repositories = new SnapshotRepositories(clients, prefix);
        this.snapshots = new DomainSnapshots(this, repositories);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.OPENSEARCH;
    }

    @Override
    public boolean completesSynchronously() {
        return false;
    }

    @Override
    public void checkPlan(Plan plan) {
        DomainPlan properties = plan(plan);
        DomainPlanChecks.checkPlan(plan, properties, clients.hasAccount(properties.account()), prefix);
        repositories.add(properties, region(properties));
    }

    @Override
    public void checkPlanChange(Plan from, Plan to) {
        DomainPlanChecks.checkPlanChange(plan(from), plan(to));
    }

    /** The name of the instance's domain. */
    public String domainName(String instanceId) {
        return DomainNames.domain(prefix, instanceId);
    }

    // --- provision, update, deprovision

    @Override
    public StepOutcome provision(InstanceRequest request) {
        return create(request, null);
    }

    /** The provision of an instance made from the snapshot {@code snapshot}: a new domain, then the snapshot's indices. */
    StepOutcome restore(InstanceRequest request, String snapshot) {
        return create(request, snapshot);
    }

    /** Keeps the master password first, so a provision run again sends the same one. */
    private StepOutcome create(InstanceRequest request, String snapshot) {
        DomainPlan plan = plan(request.plan());
        String domain = domainName(request.instanceId());
        String masterPassword = secrets.forNew(request.instanceId(), PolicyPasswords::generate);
        CreateDomainRequest.Builder create = CreateDomainRequest.builder()
                .domainName(domain)
                .engineVersion(plan.engineVersion())
                .clusterConfig(DomainConfig.cluster(plan))
                .ebsOptions(DomainConfig.volumes(plan))
                .encryptionAtRestOptions(b -> b.enabled(true).kmsKeyId(plan.kmsKeyId()))
                .nodeToNodeEncryptionOptions(b -> b.enabled(true))
                .domainEndpointOptions(DomainConfig.endpoint(plan))
                .advancedSecurityOptions(b -> b.enabled(true)
                        .internalUserDatabaseEnabled(true)
                        .masterUserOptions(
                                m -> m.masterUserName(DomainNames.MASTER_USER).masterUserPassword(masterPassword)))
                .accessPolicies(DomainConfig.accessPolicy(plan, region(plan), domain))
                .tagList(tags(request));
        if (plan.inVpc()) {
            create.vpcOptions(DomainConfig.network(plan));
        }
        try {
            AwsCalls.call(
                    "creating OpenSearch Service domain " + domain,
                    () -> openSearch(plan).createDomain(create.build()));
        } catch (ProvisioningFailedException e) {
            if (!(e.getCause() instanceof ResourceAlreadyExistsException)) {
                throw e;
            }
            adopt(plan, domain, request.instanceId());
        }
        return new StepOutcome.InProgress(
                Progress.CREATE.reference(snapshot), "OpenSearch Service is creating domain " + domain);
    }

    /** A domain of this name exists: a first run of the step made it, unless it is another instance's. */
    private void adopt(DomainPlan plan, String domain, String instanceId) {
        DomainStatus existing = describe(plan, domain)
                .orElseThrow(() -> new ProvisioningFailedException("OpenSearch Service domain " + domain
                        + " exists but cannot be read: it is being deleted; try again when it is gone"));
        List<Tag> tags = AwsCalls.call(
                        "reading the tags of OpenSearch Service domain " + domain,
                        () -> openSearch(plan).listTags(b -> b.arn(existing.arn())))
                .tagList();
        ResourceTags.requireInstance("OpenSearch Service domain " + domain, tags, Tag::key, Tag::value, instanceId);
    }

    /**
     * Moves a create or update on from what OpenSearch Service reports; once the domain is active with its endpoint
     * (and, after an update, has the plan's configuration), writes the instance's roles through its security API
     * (again after an update: a plan change picks up what this version of the broker grants), maps the broker to the
     * snapshot role where the plan has snapshots, and restores the snapshot a restore was made from.
     */
    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        DomainPlan plan = plan(request.plan());
        Progress progress = Progress.of(progressReference);
        if (progress == Progress.DELETE) {
            return deleting(request, plan);
        }
        String domain = domainName(request.instanceId());
        DomainStatus status = describe(plan, domain)
                .orElseThrow(() -> new ProvisioningFailedException("OpenSearch Service domain " + domain
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        Optional<String> working = working(status);
        if (working.isPresent()) {
            return new StepOutcome.InProgress(progressReference, working.get());
        }
        // AWS may report a change as processing a while after taking it, and rolls back a change that fails
        if (progress == Progress.MODIFY
                && DomainConfig.differs(plan, DomainConfig.accessPolicy(plan, region(plan), domain), status)) {
            return new StepOutcome.InProgress(
                    progressReference,
                    "OpenSearch Service has not applied the plan's configuration to " + domain + " yet");
        }
        String endpoint = endpointOrNull(status);
        OpenSearchTenancy tenancy = tenancy(request, endpoint);
        String indexPrefix = tenancy.createInstance(request.instanceId());
        if (plan.hasSnapshots()) {
            allowBrokerSnapshots(plan, tenancy.snapshots());
        }
        String snapshot = Progress.snapshotOf(progressReference);
        if (snapshot != null) {
            Optional<StepOutcome> restoring = snapshots.restoring(request, tenancy, endpoint, snapshot);
            if (restoring.isPresent()) {
                return restoring.get();
            }
        }
        Map<String, String> outputs = new TreeMap<>();
        outputs.put("domain", domain);
        outputs.put("arn", status.arn());
        outputs.put("endpoint", endpoint);
        outputs.put("engine_version", status.engineVersion());
        outputs.put("index_prefix", indexPrefix);
        return StepOutcome.Completed.with(outputs);
    }

    /** What the domain is doing that a step waits for, said for the user; none when it is ready to use. */
    private static Optional<String> working(DomainStatus status) {
        String domain = "OpenSearch Service domain " + status.domainName();
        if (Boolean.TRUE.equals(status.deleted())) {
            throw new ProvisioningFailedException(
                    domain + " is being deleted outside the broker; delete this service instance");
        }
        if (status.domainProcessingStatus() == DomainProcessingStatusType.ISOLATED) {
            throw new ProvisioningFailedException(domain + " is isolated by AWS (the account is suspended or its"
                    + " payment failed): the operator must settle the account with AWS");
        }
        if (!Boolean.TRUE.equals(status.created())) {
            return Optional.of(domain + " is being created");
        }
        if (Boolean.TRUE.equals(status.processing()) || Boolean.TRUE.equals(status.upgradeProcessing())) {
            String what = status.domainProcessingStatusAsString();
            return Optional.of(domain + " is applying changes" + (what == null ? "" : " (" + what + ")"));
        }
        if (endpointOrNull(status) == null) {
            return Optional.of(domain + " has no endpoint yet");
        }
        return Optional.empty();
    }

    /**
     * Changes what differs between the plan and the domain, in place: the data nodes' type, count and zones, dedicated
     * masters, volumes, the endpoint's TLS policy, a VPC domain's security groups, and the access policy. A domain
     * that is busy is waited for; a domain that has the plan's configuration already (an earlier run changed it) is
     * left alone.
     */
    @Override
    public StepOutcome update(UpdateRequest request) {
        InstanceRequest instance = request.instance();
        DomainPlan plan = plan(instance.plan());
        DomainPlan previous = plan(request.previousPlan());
        DomainPlanChecks.checkPlanChange(previous, plan);
        String domain = domainName(instance.instanceId());
        DomainStatus current = describe(plan, domain)
                .orElseThrow(() -> new ProvisioningFailedException("OpenSearch Service domain " + domain
                        + " no longer exists: it was deleted outside the broker; delete this service instance"));
        Optional<String> working = working(current);
        if (working.isPresent()) {
            throw new BackingServiceUnavailableException(working.get() + "; the update waits for it", null);
        }
        String accessPolicy = DomainConfig.accessPolicy(plan, region(plan), domain);
        boolean changes = DomainConfig.differs(plan, accessPolicy, current);
        if (changes) {
            UpdateDomainConfigRequest.Builder update = UpdateDomainConfigRequest.builder()
                    .domainName(domain)
                    .clusterConfig(DomainConfig.cluster(plan))
                    .ebsOptions(DomainConfig.volumes(plan))
                    .domainEndpointOptions(DomainConfig.endpoint(plan))
                    .accessPolicies(accessPolicy);
            if (plan.inVpc()) {
                update.vpcOptions(DomainConfig.network(plan));
            }
            try {
                AwsCalls.call(
                        "changing OpenSearch Service domain " + domain,
                        () -> openSearch(plan).updateDomainConfig(update.build()));
            } catch (ProvisioningFailedException e) {
                // refused because a change is under way: an earlier attempt's, whose answer was lost
                Optional<String> busy = describe(plan, domain).flatMap(OpenSearchDomainProvisioner::working);
                if (busy.isPresent()) {
                    throw new BackingServiceUnavailableException(busy.get() + "; the update waits for it", e);
                }
                throw e;
            }
        }
        AwsCalls.call(
                "tagging OpenSearch Service domain " + domain,
                () -> openSearch(plan).addTags(b -> b.arn(current.arn()).tagList(tags(instance))));
        return new StepOutcome.InProgress(
                Progress.MODIFY.name(),
                changes ? "OpenSearch Service is changing domain " + domain : "domain " + domain + " is unchanged");
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        return deleting(request, plan(request.plan()));
    }

    /**
     * Deletes the domain (its indices with it) and, once OpenSearch Service no longer knows it, the master password.
     * OpenSearch Service keeps no final snapshot; the broker's backups of the instance stay, as for every plan.
     */
    private StepOutcome deleting(InstanceRequest request, DomainPlan plan) {
        String domain = domainName(request.instanceId());
        Optional<DomainStatus> status = describe(plan, domain);
        if (status.isEmpty()) {
            secrets.forget(request.instanceId());
            return StepOutcome.Completed.with(Map.of());
        }
        if (!Boolean.TRUE.equals(status.get().deleted())) {
            AwsCalls.ignoring(
                    ResourceNotFoundException.class,
                    "deleting OpenSearch Service domain " + domain,
                    () -> openSearch(plan).deleteDomain(b -> b.domainName(domain)));
        }
        return new StepOutcome.InProgress(Progress.DELETE.name(), "OpenSearch Service is deleting domain " + domain);
    }

    // --- bind and unbind: internal users of the domain

    @Override
    public Credentials bind(BindRequest request) {
        InstanceRequest instance = request.instance();
        return tenancy(instance).bind(instance.instanceId(), request.bindingId(), request.readOnly());
    }

    /** Deletes the binding's user; a domain gone already holds no user to delete. */
    @Override
    public void unbind(BindRequest request) {
        InstanceRequest instance = request.instance();
        try {
            tenancy(instance).unbind(instance.instanceId(), request.bindingId());
        } catch (BackingServiceUnavailableException e) {
            if (describe(plan(instance.plan()), domainName(instance.instanceId()))
                    .isPresent()) {
                throw e;
            }
        }
    }

    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(backups);
    }

    /** What deletes the snapshots of every plan; a plan's backups are snapshots where it names a snapshot bucket. */
    @Override
    public Optional<InstanceSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    @Override
    public Optional<InstanceSnapshots> snapshots(Plan plan) {
        return plan(plan).hasSnapshots() ? snapshots() : Optional.empty();
    }

    /** Maps the broker's IAM identity to the domain's {@code manage_snapshots} role, which registering needs. */
    void allowBrokerSnapshots(DomainPlan plan, OpenSearchSnapshots snapshots) {
        SnapshotRepositories.BrokerIdentity broker = repositories.brokerIdentity(plan);
        snapshots.allowSnapshotsBy(broker.users(), broker.backendRoles());
    }

    /** Whether OpenSearch Service answers in each configured account's region. */
    @Override
    public Health health() {
        return AwsHealth.of(
                "opensearch",
                clients,
                account -> AwsCalls.call(
                        "asking OpenSearch Service for domains",
                        () -> clients.openSearch(account.name(), account.region())
                                .listDomainNames(b -> {})));
    }

    // --- helpers

    /** The instance's tenancy, reached at the endpoint its provision reported, as the domain's master user. */
    OpenSearchTenancy tenancy(InstanceRequest instance) {
        String endpoint = instance.outputs().get("endpoint");
        if (endpoint == null) {
            throw new ProvisioningFailedException("the instance's domain has no endpoint: its provision did not end");
        }
        return tenancy(instance, endpoint);
    }

    /** {@code endpoint}: a host, or a host and port (a VPC endpoint's proxy, the test bed); HTTPS either way. */
    private OpenSearchTenancy tenancy(InstanceRequest instance, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
        int port = colon < 0 ? HTTPS_PORT : Integer.parseInt(endpoint.substring(colon + 1));
        DomainPlan plan = plan(instance.plan());
        // one client a step: a broker keeps no connection to each of its domains between steps
        return new OpenSearchTenancy(new OpenSearchServer(
                domainName(instance.instanceId()),
                "https",
                host,
                port,
                DomainNames.MASTER_USER,
                secrets.of(instance.instanceId()),
                clients.account(plan.account()).searchCaCertificate(),
                host,
                port,
                CONNECT_TIMEOUT));
    }

    /** The domain's endpoint: the public one, or its VPC endpoint; none while it is being made. */
    private static String endpointOrNull(DomainStatus status) {
        return status.endpoint() != null
                ? status.endpoint()
                : status.endpoints().get("vpc");
    }

    private Optional<DomainStatus> describe(DomainPlan plan, String domain) {
        return AwsCalls.find(
                "reading OpenSearch Service domain " + domain,
                () -> openSearch(plan).describeDomain(b -> b.domainName(domain)),
                response -> List.of(response.domainStatus()),
                ResourceNotFoundException.class);
    }

    private List<Tag> tags(InstanceRequest request) {
        return ResourceTags.of(request, prefix).entrySet().stream()
                .map(tag ->
                        Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
    }

    String region(DomainPlan plan) {
        return clients.account(plan.account()).region(plan.region());
    }

    private OpenSearchClient openSearch(DomainPlan plan) {
        return clients.openSearch(plan.account(), region(plan));
    }

    static DomainPlan plan(Plan plan) {
        return PlanProperties.read(plan, DomainPlan.class);
    }

    /** What a step left in progress; a create and a restore carry the snapshot restored ({@code CREATE:<name>}). */
    enum Progress {
        CREATE,
        RESTORE,
        MODIFY,
        DELETE;

        String reference(String snapshot) {
            return snapshot == null ? name() : name() + ":" + snapshot;
        }

        static Progress of(String reference) {
            int colon = reference.indexOf(':');
            return valueOf(colon < 0 ? reference : reference.substring(0, colon));
        }

        static String snapshotOf(String reference) {
            int colon = reference.indexOf(':');
            return colon < 0 ? null : reference.substring(colon + 1);
        }
    }
}
