package io.paasbroker.provisioner.testcloud;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AsyncBinder;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.PointInTimeRestore;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Provisions a database of the {@link TestCloud} per instance, the way a cloud provisioner does: every step starts a
 * change and answers {@link StepOutcome.InProgress}, and {@link #poll} reads the database's state. The master password
 * is set when the database becomes available and kept as the instance's secret; each binding is a key made with it,
 * usable a while later, so binds are polled too. Backups are the cloud's snapshots, and it restores a database's data
 * as it was at a time of the last hour. A plan's {@code size} is the
 * database's; the provision parameter {@code fail_while_creating} makes the cloud fail the database part-way.
 */
public final class TestCloudProvisioner implements ServiceProvisioner, AsyncBinder {

    public static final String NAME = "testcloud";
    public static final String FAIL_WHILE_CREATING = "fail_while_creating";

    private static final String MASTER_PASSWORD = "master_password";
    private static final String DATABASE = "database";
    private static final Duration SYNCHRONOUS_BIND_LIMIT = Duration.ofSeconds(60);
    /** How far back the test cloud restores a database's data, as a provider keeps its logs. */
    private static final Duration POINT_IN_TIME_WINDOW = Duration.ofHours(1);

    private final TestCloudClient cloud;
    private final TestCloudSnapshots snapshots;

    public TestCloudProvisioner(URI endpoint) {
        this.cloud = new TestCloudClient(endpoint);
        this.snapshots = new TestCloudSnapshots(cloud, this);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.POSTGRESQL;
    }

    @Override
    public void checkPlan(Plan plan) {
        Object size = plan.provisioner().properties().get("size");
        if (size != null && !(size instanceof String)) {
            throw new InvalidPlanException("size must be a text, such as small or large");
        }
    }

    @Override
    public boolean completesSynchronously() {
        return false;
    }

    /** The database's name, from the instance id: a provision run again finds the database the first run made. */
    static String databaseOf(String instanceId) {
        return "tc-" + ResourceNames.hash(instanceId, 16);
    }

    static String keyOf(String bindingId) {
        return "k-" + ResourceNames.hash(bindingId, 16);
    }

    @Override
    public StepOutcome provision(InstanceRequest request) {
        return create(
                request,
                Map.of(
                        FAIL_WHILE_CREATING,
                        Boolean.TRUE.equals(request.parameters().get(FAIL_WHILE_CREATING))));
    }

    /** The provision of an instance made from a snapshot: the database starts with the snapshot's data. */
    StepOutcome createFromSnapshot(InstanceRequest request, String snapshot) {
        return create(request, Map.of("from_snapshot", snapshot));
    }

    /** The provision of an instance made from another's data as it was at {@code time}. */
    StepOutcome createFromPointInTime(InstanceRequest request, InstanceRequest source, Instant time) {
        return create(request, Map.of("from_database", databaseOf(source.instanceId()), "at", time.toString()));
    }

    @Override
    public Optional<PointInTimeRestore> pointInTimeRestore() {
        return Optional.of(new PointInTimeRestore() {
            @Override
            public Duration window(Plan plan) {
                return POINT_IN_TIME_WINDOW;
            }

            @Override
            public StepOutcome restore(InstanceRequest into, InstanceRequest source, Instant time) {
                return createFromPointInTime(into, source, time);
            }
        });
    }

    private StepOutcome create(InstanceRequest request, Map<String, Object> settings) {
        String database = databaseOf(request.instanceId());
        Map<String, Object> body = new LinkedHashMap<>(settings);
        body.put("size", size(request.plan()));
        TestCloudClient.expect(
                cloud.send("PUT", "/databases/" + database, body, Optional.empty()), "create " + database, 200, 201);
        return poll(request, Progress.CREATE.of(database));
    }

    @Override
    public Optional<InstanceSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    @Override
    public StepOutcome poll(InstanceRequest request, String progressReference) {
        Progress progress = Progress.from(progressReference);
        String database = databaseOf(request.instanceId());
        TestCloudClient.Answer answer = cloud.send("GET", "/databases/" + database, null, Optional.empty());
        if (answer.status() == 404) {
            if (progress == Progress.DELETE) {
                return new StepOutcome.Completed(Map.of(), Map.of());
            }
            throw new ProvisioningFailedException("database " + database + " is gone from the test cloud");
        }
        String state = TestCloudClient.expect(answer, "read " + database, 200).text("state");
        if (progress == Progress.DELETE) {
            return state.equals("deleting")
                    ? new StepOutcome.InProgress(progressReference, "database " + database + " is deleting")
                    : deleting(database);
        }
        return switch (state) {
            case "available" -> available(request, progress);
            case "failed" -> throw new ProvisioningFailedException(answer.text("message"));
            default -> new StepOutcome.InProgress(progressReference, "database " + database + " is " + state);
        };
    }

    /** The master password is set once the database is available, from whichever replica sees it first. */
    private StepOutcome available(InstanceRequest request, Progress progress) {
        String database = databaseOf(request.instanceId());
        Map<String, String> outputs = Map.of(DATABASE, database);
        if (progress != Progress.CREATE && request.secrets().containsKey(MASTER_PASSWORD)) {
            return new StepOutcome.Completed(outputs, Map.of());
        }
        String password = Passwords.generate();
        TestCloudClient.expect(
                cloud.send("PATCH", "/databases/" + database, Map.of(MASTER_PASSWORD, password), Optional.empty()),
                "set the master password of " + database,
                200);
        return new StepOutcome.Completed(outputs, Map.of(MASTER_PASSWORD, password));
    }

    /** A deletion whose database is not deleting: ask again, the cloud may have missed it. */
    private StepOutcome deleting(String database) {
        delete(database);
        return new StepOutcome.InProgress(Progress.DELETE.of(database), "deleting database " + database);
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        String database = databaseOf(request.instance().instanceId());
        String size = size(request.instance().plan());
        TestCloudClient.expect(
                cloud.send("PATCH", "/databases/" + database, Map.of("size", size), Optional.empty()),
                "resize " + database,
                200);
        return poll(request.instance(), Progress.MODIFY.of(database));
    }

    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        String database = databaseOf(request.instanceId());
        delete(database);
        return poll(request, Progress.DELETE.of(database));
    }

    private void delete(String database) {
        TestCloudClient.expect(
                cloud.send("DELETE", "/databases/" + database, null, Optional.empty()), "delete " + database, 202, 404);
    }

    /**
     * A key with a secret derived from the master password and the binding id: a bind run again, or polled by
     * another replica, knows the secret without the broker keeping it before the bind completes.
     */
    @Override
    public BindOutcome startBind(BindRequest request) {
        String database = databaseOf(request.instance().instanceId());
        String key = keyOf(request.bindingId());
        TestCloudClient.expect(
                cloud.send(
                        "PUT",
                        "/databases/" + database + "/keys/" + key,
                        Map.of("secret", secretOf(request)),
                        masterPassword(request.instance())),
                "make key " + key,
                200,
                201);
        return pollBind(request, key);
    }

    @Override
    public BindOutcome pollBind(BindRequest request, String reference) {
        String database = databaseOf(request.instance().instanceId());
        TestCloudClient.Answer answer = TestCloudClient.expect(
                cloud.send(
                        "GET",
                        "/databases/" + database + "/keys/" + reference,
                        null,
                        masterPassword(request.instance())),
                "read key " + reference,
                200);
        if (!Boolean.TRUE.equals(answer.body().get("active"))) {
            return new StepOutcome.InProgress(reference, "key " + reference + " is not active yet");
        }
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put(
                "uri",
                cloud.endpoint().resolve("/databases/" + database + "/data").toString());
        credentials.put("username", reference);
        credentials.put("password", secretOf(request));
        return new BindOutcome.Bound(new Credentials(credentials));
    }

    @Override
    public StepOutcome startUnbind(BindRequest request) {
        String database = databaseOf(request.instance().instanceId());
        String key = keyOf(request.bindingId());
        TestCloudClient.Answer answer = cloud.send(
                "DELETE", "/databases/" + database + "/keys/" + key, null, masterPassword(request.instance()));
        // a database already gone took its keys with it
        TestCloudClient.expect(answer, "delete key " + key, 204, 404);
        return new StepOutcome.Completed(Map.of(), Map.of());
    }

    @Override
    public StepOutcome pollUnbind(BindRequest request, String reference) {
        return startUnbind(request);
    }

    /** For a platform that waits: the bind, polled within the request. */
    @Override
    public Credentials bind(BindRequest request) {
        Instant deadline = Instant.now().plus(SYNCHRONOUS_BIND_LIMIT);
        BindOutcome outcome = startBind(request);
        while (outcome instanceof StepOutcome.InProgress progress) {
            if (Instant.now().isAfter(deadline)) {
                throw new BackingServiceUnavailableException(progress.description(), null);
            }
            pause();
            outcome = pollBind(request, progress.reference());
        }
        return ((BindOutcome.Bound) outcome).credentials();
    }

    @Override
    public void unbind(BindRequest request) {
        startUnbind(request);
    }

    @Override
    public Health health() {
        try {
            cloud.send("GET", "/databases/health-probe", null, Optional.empty());
            return new Health(Map.of(), Map.of("test-cloud", "UP"));
        } catch (BackingServiceUnavailableException e) {
            return new Health(Map.of("test-cloud", e.getMessage()), Map.of());
        }
    }

    private static String size(Plan plan) {
        Object size = plan.provisioner().properties().get("size");
        return size == null ? "small" : size.toString();
    }

    private static Optional<String> masterPassword(InstanceRequest instance) {
        String password = instance.secrets().get(MASTER_PASSWORD);
        if (password == null) {
            throw new ProvisioningFailedException(
                    "the instance has no master password: its provision did not complete");
        }
        return Optional.of(password);
    }

    private static String secretOf(BindRequest request) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    masterPassword(request.instance()).orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] secret = mac.doFinal(request.bindingId().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException("interrupted while waiting for a key", e);
        }
    }

    /** What a step left in progress, as its reference says: {@code create:tc-...}. */
    private enum Progress {
        CREATE,
        MODIFY,
        DELETE;

        String of(String database) {
            return name().toLowerCase() + ":" + database;
        }

        static Progress from(String reference) {
            return valueOf(reference.substring(0, reference.indexOf(':')).toUpperCase());
        }
    }
}
