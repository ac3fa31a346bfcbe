package io.paasbroker.aws.testbed.fake;

import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.rds.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.rds.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.Endpoint;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A stateful fake of Amazon RDS's DB instances: created, described, tagged and deleted through the unmodified SDK
 * client, their status moving as RDS's does and as the SDK's published waiters expect ({@code creating}, then
 * {@code backing-up} when automated backups are kept, then {@code available}; {@code deleting}, then gone). Each step
 * lasts what the test bed says ({@link Timings}). Behind each PostgreSQL instance runs a real PostgreSQL server
 * ({@link RdsPostgres}), reported as the instance's endpoint once it is no longer creating and stopped when the
 * deletion ends; other engines are not served yet. Errors are the model's: {@code DBInstanceAlreadyExists},
 * {@code DBInstanceNotFound}, {@code InvalidDBInstanceState}, and {@code InvalidParameterCombination}, one of the errors
 * common to every AWS API.
 */
public final class FakeRds extends QueryServiceFake {

    public static final String ACCOUNT = "123456789012";

    /** How long each status lasts. */
    public record Timings(Duration creating, Duration backingUp, Duration deleting) {}

    private record Instance(CreateDbInstanceRequest request, Instant created, String arn, Instant deleteStarted) {

        Instance deleting(Instant at) {
            return new Instance(request, created, arn, at);
        }
    }

    /** RDS's rule for master user names, which the fake's SQL relies on too. */
    private static final Pattern MASTER_USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private final String region;
    private final Path workDirectory;
    private final Timings timings;
    private final Clock clock;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> tagsByArn = new ConcurrentHashMap<>();
    private final Map<String, RdsPostgres> servers = new ConcurrentHashMap<>();

    /** {@code workDirectory}: where the instances' database servers keep their data. */
    public FakeRds(String region, Path workDirectory, Timings timings, Clock clock) {
        super(ServiceModel.load("rds", "2014-10-31"), "http://rds.amazonaws.com/doc/2014-10-31/");
        this.region = region;
        this.workDirectory = workDirectory;
        this.timings = timings;
        this.clock = clock;
        on("CreateDBInstance", p -> create(QueryRequestReader.read(p, CreateDbInstanceRequest.builder())));
        on("DescribeDBInstances", p -> describe(QueryRequestReader.read(p, DescribeDbInstancesRequest.builder())));
        on("DeleteDBInstance", p -> delete(QueryRequestReader.read(p, DeleteDbInstanceRequest.builder())));
        on("AddTagsToResource", p -> addTags(QueryRequestReader.read(p, AddTagsToResourceRequest.builder())));
        on("ListTagsForResource", p -> listTags(QueryRequestReader.read(p, ListTagsForResourceRequest.builder())));
    }

    private synchronized CreateDbInstanceResponse create(CreateDbInstanceRequest request) {
        String id = request.dbInstanceIdentifier();
        if (present(id) != null) {
            throw new AwsFault("DBInstanceAlreadyExists", 400, "DB instance already exists");
        }
        if (!request.engine().equals("postgres")) {
            throw new AwsFault(
                    "InvalidParameterValue", 400, "the test bed runs no " + request.engine() + " server yet");
        }
        if (request.masterUsername() == null
                || !MASTER_USERNAME.matcher(request.masterUsername()).matches()
                || request.masterUserPassword() == null) {
            throw new AwsFault(
                    "InvalidParameterValue",
                    400,
                    "MasterUsername must be 1 to 63 letters, digits and underscores, starting with a letter,"
                            + " and MasterUserPassword is required");
        }
        servers.put(
                id,
                RdsPostgres.start(
                        workDirectory.resolve(id),
                        request.masterUsername(),
                        request.masterUserPassword(),
                        request.dbName()));
        Instance instance =
                new Instance(request, clock.instant(), "arn:aws:rds:" + region + ":" + ACCOUNT + ":db:" + id, null);
        instances.put(id, instance);
        Map<String, String> tags = new LinkedHashMap<>();
        request.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        tagsByArn.put(instance.arn(), tags);
        return CreateDbInstanceResponse.builder().dbInstance(view(instance)).build();
    }

    private DescribeDbInstancesResponse describe(DescribeDbInstancesRequest request) {
        List<DBInstance> found = new ArrayList<>();
        if (request.dbInstanceIdentifier() != null) {
            Instance instance = present(request.dbInstanceIdentifier());
            if (instance == null) {
                throw notFound(request.dbInstanceIdentifier());
            }
            found.add(view(instance));
        } else {
            instances.keySet().stream()
                    .sorted()
                    .map(this::present)
                    .filter(instance -> instance != null)
                    .forEach(instance -> found.add(view(instance)));
        }
        return DescribeDbInstancesResponse.builder().dbInstances(found).build();
    }

    private synchronized DeleteDbInstanceResponse delete(DeleteDbInstanceRequest request) {
        Instance instance = present(request.dbInstanceIdentifier());
        if (instance == null) {
            throw notFound(request.dbInstanceIdentifier());
        }
        if (!Boolean.TRUE.equals(request.skipFinalSnapshot()) && request.finalDBSnapshotIdentifier() == null) {
            throw new AwsFault(
                    "InvalidParameterCombination",
                    400,
                    "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        }
        String status = status(instance);
        if (instance.deleteStarted() != null || status.equals("creating")) {
            throw new AwsFault(
                    "InvalidDBInstanceState", 400, "Instance " + request.dbInstanceIdentifier() + " is " + status);
        }
        Instance deleting = instance.deleting(clock.instant());
        instances.put(request.dbInstanceIdentifier(), deleting);
        return DeleteDbInstanceResponse.builder().dbInstance(view(deleting)).build();
    }

    private AddTagsToResourceResponse addTags(AddTagsToResourceRequest request) {
        Map<String, String> tags = tagsOf(request.resourceName());
        request.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        return AddTagsToResourceResponse.builder().build();
    }

    private ListTagsForResourceResponse listTags(ListTagsForResourceRequest request) {
        List<Tag> tags = new ArrayList<>();
        tagsOf(request.resourceName())
                .forEach((key, value) ->
                        tags.add(Tag.builder().key(key).value(value).build()));
        return ListTagsForResourceResponse.builder().tagList(tags).build();
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = tagsByArn.get(arn);
        if (tags == null) {
            throw new AwsFault("DBInstanceNotFound", 404, "DBInstance " + arn + " not found.");
        }
        return tags;
    }

    /** The instance, unless its deletion has finished (then it is forgotten). */
    private synchronized Instance present(String id) {
        Instance instance = instances.get(id);
        if (instance != null
                && instance.deleteStarted() != null
                && !clock.instant().isBefore(instance.deleteStarted().plus(timings.deleting()))) {
            instances.remove(id);
            tagsByArn.remove(instance.arn());
            RdsPostgres server = servers.remove(id);
            if (server != null) {
                server.close();
            }
            return null;
        }
        return instance;
    }

    private String status(Instance instance) {
        if (instance.deleteStarted() != null) {
            return "deleting";
        }
        Duration age = Duration.between(instance.created(), clock.instant());
        if (age.compareTo(timings.creating()) < 0) {
            return "creating";
        }
        boolean keepsBackups = instance.request().backupRetentionPeriod() == null
                || instance.request().backupRetentionPeriod() > 0;
        if (keepsBackups && age.compareTo(timings.creating().plus(timings.backingUp())) < 0) {
            return "backing-up";
        }
        return "available";
    }

    private DBInstance view(Instance instance) {
        CreateDbInstanceRequest request = instance.request();
        String status = status(instance);
        DBInstance.Builder view = DBInstance.builder()
                .dbInstanceIdentifier(request.dbInstanceIdentifier())
                .dbInstanceArn(instance.arn())
                .dbInstanceClass(request.dbInstanceClass())
                .engine(request.engine())
                .engineVersion(request.engineVersion())
                .dbInstanceStatus(status)
                .masterUsername(request.masterUsername())
                .dbName(request.dbName())
                .allocatedStorage(request.allocatedStorage())
                .maxAllocatedStorage(request.maxAllocatedStorage())
                .multiAZ(Boolean.TRUE.equals(request.multiAZ()))
                .storageEncrypted(Boolean.TRUE.equals(request.storageEncrypted()))
                .backupRetentionPeriod(request.backupRetentionPeriod() == null ? 1 : request.backupRetentionPeriod())
                .instanceCreateTime(instance.created());
        RdsPostgres server = servers.get(request.dbInstanceIdentifier());
        if (server != null && !status.equals("creating")) {
            view.endpoint(
                    Endpoint.builder().address("127.0.0.1").port(server.port()).build());
        }
        return view.build();
    }

    /** Stops every instance's server. */
    @Override
    public void close() {
        super.close();
        servers.values().forEach(RdsPostgres::close);
        servers.clear();
    }

    private static AwsFault notFound(String id) {
        return new AwsFault("DBInstanceNotFound", 404, "DBInstance " + id + " not found.");
    }
}
