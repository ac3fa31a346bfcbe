package io.paasbroker.aws.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.HttpRequest;
import io.paasbroker.aws.testbed.conformance.RestConformance;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.iam.IamGlob;
import io.paasbroker.aws.testbed.wire.JsonRequestReader;
import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.AddTagsRequest;
import software.amazon.awssdk.services.opensearch.model.AddTagsResponse;
import software.amazon.awssdk.services.opensearch.model.ClusterConfig;
import software.amazon.awssdk.services.opensearch.model.ClusterConfigStatus;
import software.amazon.awssdk.services.opensearch.model.CreateDomainRequest;
import software.amazon.awssdk.services.opensearch.model.CreateDomainResponse;
import software.amazon.awssdk.services.opensearch.model.DeleteDomainResponse;
import software.amazon.awssdk.services.opensearch.model.DescribeDomainResponse;
import software.amazon.awssdk.services.opensearch.model.DomainConfig;
import software.amazon.awssdk.services.opensearch.model.DomainInfo;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.EBSOptionsStatus;
import software.amazon.awssdk.services.opensearch.model.ListDomainNamesResponse;
import software.amazon.awssdk.services.opensearch.model.ListTagsResponse;
import software.amazon.awssdk.services.opensearch.model.OptionState;
import software.amazon.awssdk.services.opensearch.model.OptionStatus;
import software.amazon.awssdk.services.opensearch.model.RemoveTagsRequest;
import software.amazon.awssdk.services.opensearch.model.RemoveTagsResponse;
import software.amazon.awssdk.services.opensearch.model.Tag;
import software.amazon.awssdk.services.opensearch.model.UpdateDomainConfigRequest;
import software.amazon.awssdk.services.opensearch.model.UpdateDomainConfigResponse;

/**
 * A fake of Amazon OpenSearch Service's configuration API (REST-JSON) on a loopback port, with a real OpenSearch node
 * behind each domain ({@link SearchDomain}, {@link SearchNodes}). Every request must be signed (SigV4) and pass the conformance gate
 * against the service's published model ({@link RestConformance}); bodies are read into the SDK's own request objects
 * and answers written from its response objects. It refuses, with the error OpenSearch Service answers, what AWS
 * refuses of a domain with fine-grained access control: encryption at rest, node-to-node encryption or HTTPS off, a
 * master password below AWS's policy, a node count that is no multiple of the zones; and, being a test bed, a domain
 * it cannot serve: an engine other than OpenSearch 2, or no internal master user. The domain's access policy is kept
 * and checked to let requests to the domain through (a finding otherwise), not enforced: the node's users are. A
 * domain's endpoint is its node's {@link SearchDomainGateway}, which serves signed requests of the snapshot API as a
 * domain with fine-grained access control does, its snapshots landing in a bucket of the fake S3 ({@link
 * ManualSnapshots}).
 */
public final class FakeOpenSearch extends JsonServiceFake {

    private static final String API = "/2021-01-01/";
    private static final Pattern ENGINE = Pattern.compile("OpenSearch_2\\.[0-9]+");
    private static final Pattern SPECIAL = Pattern.compile("[^A-Za-z0-9]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;
    private final Clock clock;
    private final StatusTimings timings;
    private final SearchNodes nodes;
    private final Map<String, SearchDomain> domains = new ConcurrentHashMap<>();

    /** The domains' nodes keep their data under {@code work}, their snapshots as {@code snapshots} says. */
    public FakeOpenSearch(
            String region,
            Path work,
            TestBedCertificates certificates,
            AccessKeys keys,
            ManualSnapshots snapshots,
            StatusTimings timings,
            Clock clock) {
        super(
                ServiceModel.load("opensearch", "2021-01-01"),
                FullModel.load("opensearch", "2021-01-01"),
                new ServiceErrors("InternalException", "ValidationException", "ThrottlingException", 429),
                keys,
                region);
        this.region = region;
        SigV4Check signatures = new SigV4Check(keys, region, "es");
        this.nodes = new SearchNodes(
                work,
                certificates,
                snapshots.repositoryRoot(),
                node -> new SearchDomainGateway(node, certificates, signatures, snapshots, permissions()));
        this.clock = clock;
        this.timings = timings;
    }

    /** An SDK client of this fake, signing with {@code key}. */
    public OpenSearchClient client(AccessKeys.Key key) {
        return FakeClients.of(OpenSearchClient.builder(), endpoint(), region, key);
    }

    /** The domains that exist now, deleting ones included. */
    public Set<String> domainNames() {
        sweep();
        return new TreeSet<>(domains.keySet());
    }

    /**
     * Waits until every domain's node has started: a suite on a manual clock then sees the same statuses, and the
     * broker makes the same calls, run after run.
     */
    public void awaitNodes() {
        domains.values().forEach(domain -> domain.gateway().join());
    }

    @Override
    protected SdkPojo answer(String operation, HttpRequest request, String key) {
        sweep();
        return switch (operation) {
            case "CreateDomain" ->
                create(JsonRequestReader.read(request.body(), CreateDomainRequest.serializableBuilderClass()), key);
            case "DescribeDomain" ->
                DescribeDomainResponse.builder()
                        .domainStatus(status(existing(domainLabel(request))))
                        .build();
            case "DeleteDomain" -> delete(domainLabel(request));
            case "UpdateDomainConfig" ->
                update(
                        domainLabel(request),
                        JsonRequestReader.read(request.body(), UpdateDomainConfigRequest.serializableBuilderClass()));
            case "AddTags" ->
                addTags(JsonRequestReader.read(request.body(), AddTagsRequest.serializableBuilderClass()));
            case "ListTags" ->
                ListTagsResponse.builder()
                        .tagList(tagList(byArn(first(request.query().get("arn")), "ResourceNotFoundException", 404)))
                        .build();
            case "RemoveTags" ->
                removeTags(JsonRequestReader.read(request.body(), RemoveTagsRequest.serializableBuilderClass()));
            case "ListDomainNames" ->
                ListDomainNamesResponse.builder()
                        .domainNames(domains.keySet().stream()
                                .sorted()
                                .map(name -> DomainInfo.builder()
                                        .domainName(name)
                                        .engineType("OpenSearch")
                                        .build())
                                .toList())
                        .build();
            default -> throw notServed(operation);
        };
    }

    private CreateDomainResponse create(CreateDomainRequest request, String key) {
        String name = request.domainName();
        SearchDomain existing = domains.get(name);
        if (existing != null) {
            throw new AwsFault("ResourceAlreadyExistsException", 409, "domain " + name + " already exists");
        }
        refuseUnservable(request);
        String arn = "arn:aws:es:" + region + ":" + FakeRds.ACCOUNT + ":domain/" + name;
        checkAccessPolicy(request.accessPolicies(), arn);
        SearchDomain domain = new SearchDomain(name, arn, request, nodes, clock, timings);
        if (domains.putIfAbsent(name, domain) != null) {
            nodes.giveBack(domain.gateway());
            throw new AwsFault("ResourceAlreadyExistsException", 409, "domain " + name + " already exists");
        }
        request.tagList().forEach(tag -> domain.tags.put(tag.key(), tag.value()));
        if (!request.tagList().isEmpty()) {
            needs(key, "AddTags");
        }
        return CreateDomainResponse.builder().domainStatus(status(domain)).build();
    }

    /** What OpenSearch Service refuses of a domain with fine-grained access control, and what the fake cannot serve. */
    private static void refuseUnservable(CreateDomainRequest request) {
        if (request.engineVersion() == null
                || !ENGINE.matcher(request.engineVersion()).matches()) {
            throw new AwsFault(
                    "ValidationException",
                    400,
                    "the test bed runs OpenSearch 2 (2.19) only, not " + request.engineVersion());
        }
        var security = request.advancedSecurityOptions();
        if (security == null
                || !Boolean.TRUE.equals(security.enabled())
                || !Boolean.TRUE.equals(security.internalUserDatabaseEnabled())
                || security.masterUserOptions() == null
                || security.masterUserOptions().masterUserName() == null) {
            throw new AwsFault(
                    "ValidationException",
                    400,
                    "the test bed serves domains with fine-grained access control and an internal master user only");
        }
        if (request.encryptionAtRestOptions() == null
                || !Boolean.TRUE.equals(request.encryptionAtRestOptions().enabled())
                || request.nodeToNodeEncryptionOptions() == null
                || !Boolean.TRUE.equals(request.nodeToNodeEncryptionOptions().enabled())
                || request.domainEndpointOptions() == null
                || !Boolean.TRUE.equals(request.domainEndpointOptions().enforceHTTPS())) {
            throw new AwsFault(
                    "ValidationException",
                    400,
                    "Enable fine-grained access control requires node-to-node encryption, encryption at rest and"
                            + " EnforceHTTPS to be enabled.");
        }
        String password = security.masterUserOptions().masterUserPassword();
        if (password == null
                || password.length() < 8
                || password.chars().noneMatch(Character::isUpperCase)
                || password.chars().noneMatch(Character::isLowerCase)
                || password.chars().noneMatch(Character::isDigit)
                || !SPECIAL.matcher(password).find()) {
            throw new AwsFault(
                    "ValidationException",
                    400,
                    "The master user password must contain at least one uppercase letter, one lowercase letter, one"
                            + " number, and one special character, and be at least 8 characters long.");
        }
        checkCluster(request.clusterConfig());
    }

    private static void checkCluster(ClusterConfig cluster) {
        if (cluster == null || !Boolean.TRUE.equals(cluster.zoneAwarenessEnabled())) {
            return;
        }
        int zones = cluster.zoneAwarenessConfig() == null
                        || cluster.zoneAwarenessConfig().availabilityZoneCount() == null
                ? 2
                : cluster.zoneAwarenessConfig().availabilityZoneCount();
        int count = cluster.instanceCount() == null ? 1 : cluster.instanceCount();
        if (count % zones != 0) {
            throw new AwsFault(
                    "ValidationException",
                    400,
                    "You must choose an even number of data nodes for a two Availability Zone deployment"
                            + " (or a multiple of three for three zones).");
        }
    }

    /**
     * A domain whose access policy lets no request to it through would answer nothing on AWS: a finding, as the
     * fake's node does not enforce the policy. Any statement allowing {@code es:ESHttp*} on the domain's paths will do.
     */
    private void checkAccessPolicy(String policy, String arn) {
        if (policy == null || policy.isBlank()) {
            finding("CreateDomain: domain " + arn + " has no access policy: AWS would let no request through");
            return;
        }
        JsonNode document;
        try {
            document = JSON.readTree(policy);
        } catch (IOException e) {
            throw new AwsFault("ValidationException", 400, "The access policy is not valid JSON");
        }
        boolean lets = false;
        for (JsonNode statement : document.path("Statement")) {
            boolean allows = statement.path("Effect").asText().equals("Allow")
                    && IamGlob.of(statement.path("Action").asText(), true)
                            .matcher("es:ESHttpGet")
                            .matches();
            for (JsonNode resource : statement.path("Resource").isArray()
                    ? statement.path("Resource")
                    : List.of(statement.path("Resource"))) {
                lets |= allows
                        && IamGlob.of(resource.asText(), false)
                                .matcher(arn + "/index")
                                .matches();
            }
        }
        if (!lets) {
            finding("CreateDomain: the access policy of " + arn + " lets no request to it through: " + policy);
        }
    }

    private DeleteDomainResponse delete(String name) {
        SearchDomain domain = existing(name);
        domain.delete();
        return DeleteDomainResponse.builder().domainStatus(status(domain)).build();
    }

    private UpdateDomainConfigResponse update(String name, UpdateDomainConfigRequest change) {
        SearchDomain domain = existing(name);
        if (domain.processing()) {
            throw new AwsFault(
                    "ValidationException",
                    400,
                    "Domain " + name + " is being changed: wait for the change to complete before requesting another");
        }
        checkCluster(change.clusterConfig());
        if (change.vpcOptions() != null
                && (domain.config().vpcOptions() == null
                        || !domain.config()
                                .vpcOptions()
                                .subnetIds()
                                .equals(change.vpcOptions().subnetIds()))) {
            throw new AwsFault(
                    "ValidationException", 400, "A domain's network (public or VPC, and its subnets) cannot change");
        }
        domain.update(change);
        OptionStatus processing = OptionStatus.builder()
                .creationDate(domain.createdAt())
                .updateDate(clock.instant())
                .state(OptionState.PROCESSING)
                .build();
        CreateDomainRequest config = domain.config();
        return UpdateDomainConfigResponse.builder()
                .domainConfig(DomainConfig.builder()
                        .clusterConfig(ClusterConfigStatus.builder()
                                .options(config.clusterConfig())
                                .status(processing)
                                .build())
                        .ebsOptions(EBSOptionsStatus.builder()
                                .options(config.ebsOptions())
                                .status(processing)
                                .build())
                        .build())
                .build();
    }

    private AddTagsResponse addTags(AddTagsRequest request) {
        SearchDomain domain = byArn(request.arn(), "ValidationException", 400);
        request.tagList().forEach(tag -> domain.tags.put(tag.key(), tag.value()));
        return AddTagsResponse.builder().build();
    }

    private RemoveTagsResponse removeTags(RemoveTagsRequest request) {
        SearchDomain domain = byArn(request.arn(), "ValidationException", 400);
        request.tagKeys().forEach(domain.tags::remove);
        return RemoveTagsResponse.builder().build();
    }

    private static List<Tag> tagList(SearchDomain domain) {
        List<Tag> tags = new ArrayList<>();
        domain.tags.forEach(
                (key, value) -> tags.add(Tag.builder().key(key).value(value).build()));
        return tags;
    }

    /** The domain as DescribeDomain and the other calls report it. */
    private static DomainStatus status(SearchDomain domain) {
        CreateDomainRequest config = domain.config();
        DomainStatus.Builder status = DomainStatus.builder()
                .domainId(domain.id)
                .domainName(domain.name)
                .arn(domain.arn)
                .created(true)
                .deleted(domain.deleted())
                .processing(domain.processing())
                .upgradeProcessing(false)
                .domainProcessingStatus(domain.processingStatus())
                .engineVersion(config.engineVersion())
                .clusterConfig(
                        config.clusterConfig() == null
                                ? ClusterConfig.builder()
                                        .instanceType("r6g.large.search")
                                        .instanceCount(1)
                                        .build()
                                : config.clusterConfig())
                .ebsOptions(config.ebsOptions())
                .encryptionAtRestOptions(config.encryptionAtRestOptions())
                .nodeToNodeEncryptionOptions(config.nodeToNodeEncryptionOptions())
                .domainEndpointOptions(config.domainEndpointOptions())
                .advancedSecurityOptions(
                        b -> b.enabled(config.advancedSecurityOptions().enabled())
                                .internalUserDatabaseEnabled(
                                        config.advancedSecurityOptions().internalUserDatabaseEnabled()))
                .accessPolicies(config.accessPolicies());
        Optional<String> endpoint = domain.deleted() ? Optional.empty() : domain.endpoint();
        if (config.vpcOptions() != null) {
            status.vpcOptions(b -> b.subnetIds(config.vpcOptions().subnetIds())
                    .securityGroupIds(config.vpcOptions().securityGroupIds()));
            endpoint.ifPresent(host -> status.endpoints(Map.of("vpc", host)));
        } else {
            endpoint.ifPresent(status::endpoint);
        }
        return status.build();
    }

    private SearchDomain existing(String name) {
        SearchDomain domain = domains.get(name);
        if (domain == null) {
            throw new AwsFault("ResourceNotFoundException", 404, "Domain not found: " + name);
        }
        return domain;
    }

    private SearchDomain byArn(String arn, String notFound, int status) {
        return domains.values().stream()
                .filter(domain -> domain.arn.equals(arn))
                .findFirst()
                .orElseThrow(() -> new AwsFault(notFound, status, "no domain has the ARN " + arn));
    }

    /** {@code /2021-01-01/opensearch/domain/{DomainName}[/config]}: the domain's name. */
    private static String domainLabel(HttpRequest request) {
        String[] parts = request.rawPath().substring(API.length()).split("/");
        return URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
    }

    /** Forgets the domains whose deletion is over; their nodes go back to the pool. */
    private void sweep() {
        domains.forEach((name, domain) -> {
            // removed by one caller only, so its node goes back to the pool once
            if (domain.gone() && domains.remove(name, domain)) {
                nodes.giveBack(domain.gateway());
            }
        });
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void close() {
        super.close();
        nodes.close();
    }
}
