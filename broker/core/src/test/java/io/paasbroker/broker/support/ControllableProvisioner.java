package io.paasbroker.broker.support;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.AsyncBinder;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindOutcome;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.DeprovisionRefusedException;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provisioner whose steps do what the request's {@code behaviour} parameter says: succeed, block until the test
 * releases them, fail, or find the server unavailable. It records what exists and how often each step ran, so tests
 * can see the broker's semantics (concurrency, idempotency, failures) without depending on a real server's speed.
 */
public class ControllableProvisioner implements ServiceProvisioner, AsyncBinder {

    /** How long a {@code slow} step takes. */
    public static final long SLOW_STEP_MILLIS = 200;

    /** How often an eventual bind is polled before its user exists. */
    public static final int POLLS_UNTIL_BOUND = 2;

    private volatile String serverProblem;
    private final Map<String, Map<String, String>> secretsSeen = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> credentialsSeen = new ConcurrentHashMap<>();

    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> restored = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.MYSQL;
    }

    @Override
    public void checkPlan(Plan plan) {}

    /** Refuses a move to or from a plan whose property {@code apart} is set, as a move between servers is. */
    @Override
    public void checkPlanChange(Plan from, Plan to) {
        if (from.provisioner().properties().containsKey("apart")
                || to.provisioner().properties().containsKey("apart")) {
            throw new PlanChangeRefusedException(
                    "the instance's data cannot move between plans '" + from.name() + "' and '" + to.name() + "'");
        }
    }

    @Override
    public boolean completesSynchronously() {
        return true;
    }

    /** {@code behaviour: secret} reports a master password, as a cloud database's provision does. */
    @Override
    public StepOutcome provision(InstanceRequest request) {
        step("provision", request.instanceId(), request.parameters());
        existing.add("instance:" + request.instanceId());
        Map<String, String> outputs = Map.of("resource", "fake-" + request.instanceId());
        return "secret".equals(request.parameters().get("behaviour"))
                ? new StepOutcome.Completed(outputs, Map.of("master_password", masterPassword(request.instanceId())))
                : StepOutcome.Completed.with(outputs);
    }

    public static String masterPassword(String instanceId) {
        return "master-" + instanceId;
    }

    /** The instance's secrets step {@code step} of {@code id} (an instance or binding id) was given. */
    public Map<String, String> secretsSeen(String step, String id) {
        return secretsSeen.getOrDefault(step + ":" + id, Map.of());
    }

    /** The binding's credentials its unbind was given. */
    public Map<String, Object> credentialsSeenByUnbind(String bindingId) {
        return credentialsSeen.getOrDefault(bindingId, Map.of());
    }

    @Override
    public StepOutcome update(UpdateRequest request) {
        step("update", request.instance().instanceId(), request.instance().parameters());
        return StepOutcome.Completed.with(
                Map.of("plan", request.instance().plan().name()));
    }

    /** {@code behaviour: refuse-delete} refuses up front, as a bucket that holds objects does. */
    @Override
    public void checkDeprovision(InstanceRequest request) {
        if ("refuse-delete".equals(request.parameters().get("behaviour"))) {
            throw new DeprovisionRefusedException("the fake bucket still holds objects: empty it first");
        }
    }

    /** {@code behaviour: refuse-delete-late} refuses only in the step, as when an object arrived since the check. */
    @Override
    public StepOutcome deprovision(InstanceRequest request) {
        count("deprovision", request.instanceId());
        secretsSeen.put("deprovision:" + request.instanceId(), request.secrets());
        if (String.valueOf(request.parameters().get("behaviour")).startsWith("refuse-delete")) {
            throw new DeprovisionRefusedException("the fake bucket still holds objects: empty it first");
        }
        existing.remove("instance:" + request.instanceId());
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public Credentials bind(BindRequest request) {
        step("bind", request.bindingId(), request.parameters());
        secretsSeen.put("bind:" + request.bindingId(), request.instance().secrets());
        existing.add("binding:" + request.bindingId());
        return new Credentials(
                Map.of("username", "user-" + request.bindingId(), "password", "secret-" + request.bindingId()));
    }

    /**
     * {@code behaviour: eventual} makes the binding's user as a cloud does: in progress when started, and for
     * {@link #POLLS_UNTIL_BOUND} polls after; {@code eventual-flaky} too, its first poll finding the server unavailable
     * for a moment; any other behaviour binds at once.
     */
    @Override
    public BindOutcome startBind(BindRequest request) {
        if (!String.valueOf(request.parameters().get("behaviour")).startsWith("eventual")) {
            return new BindOutcome.Bound(bind(request));
        }
        count("start-bind", request.bindingId());
        return new StepOutcome.InProgress("user-" + request.bindingId(), "the binding's user is being made");
    }

    @Override
    public BindOutcome pollBind(BindRequest request, String reference) {
        count("poll-bind", request.bindingId());
        if (!reference.equals("user-" + request.bindingId())) {
            throw new ProvisioningFailedException("no bind in progress under " + reference);
        }
        if ("eventual-flaky".equals(request.parameters().get("behaviour"))
                && calls("poll-bind", request.bindingId()) == 1) {
            throw new BackingServiceUnavailableException("the fake server is not answering for a moment", null);
        }
        return calls("poll-bind", request.bindingId()) < POLLS_UNTIL_BOUND
                ? new StepOutcome.InProgress(reference, "the binding's user is being made")
                : new BindOutcome.Bound(bind(request));
    }

    /** An eventual binding's user is removed as it was made: in progress, then gone after the same polls. */
    @Override
    public StepOutcome startUnbind(BindRequest request) {
        if (!"eventual".equals(request.parameters().get("behaviour"))) {
            unbind(request);
            return StepOutcome.Completed.with(Map.of());
        }
        count("start-unbind", request.bindingId());
        return new StepOutcome.InProgress("removal-" + request.bindingId(), "the binding's user is being removed");
    }

    @Override
    public StepOutcome pollUnbind(BindRequest request, String reference) {
        count("poll-unbind", request.bindingId());
        if (calls("poll-unbind", request.bindingId()) < POLLS_UNTIL_BOUND) {
            return new StepOutcome.InProgress(reference, "the binding's user is being removed");
        }
        unbind(request);
        return StepOutcome.Completed.with(Map.of());
    }

    @Override
    public void unbind(BindRequest request) {
        count("unbind", request.bindingId());
        secretsSeen.put("unbind:" + request.bindingId(), request.instance().secrets());
        credentialsSeen.put(request.bindingId(), request.credentials());
        existing.remove("binding:" + request.bindingId());
    }

    /**
     * Backups of the fake: an instance's data is {@link #data(String)}; a restore records what it received, and a
     * {@code behaviour: fail} instance's backup fails half-way through writing; a {@code behaviour: block} one waits
     * for {@link #release}{@code (backupGate(instanceId))} first.
     */
    @Override
    public Optional<InstanceBackups> backups() {
        return Optional.of(new InstanceBackups() {
            @Override
            public String format() {
                return "fake/1";
            }

            @Override
            public void backup(InstanceRequest instance, OutputStream out) {
                secretsSeen.put("backup:" + instance.instanceId(), instance.secrets());
                try {
                    byte[] data = data(instance.instanceId());
                    if ("block".equals(instance.parameters().get("behaviour"))) {
                        await(backupGate(instance.instanceId()));
                    }
                    out.write(data, 0, data.length / 2);
                    if ("fail".equals(instance.parameters().get("behaviour"))) {
                        throw new BackingServiceUnavailableException("the fake server went away mid-backup", null);
                    }
                    out.write(data, data.length / 2, data.length - data.length / 2);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void restore(InstanceRequest instance, InputStream in) {
                secretsSeen.put("restore:" + instance.instanceId(), instance.secrets());
                try {
                    restored.put(instance.instanceId(), in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    /** What an instance of the fake holds: 200 KiB derived from its id, several cipher chunks long. */
    public static byte[] data(String instanceId) {
        return (instanceId + " ").repeat(200 * 1024 / (instanceId.length() + 1)).getBytes(StandardCharsets.UTF_8);
    }

    /** What the last restore into the instance received, if one ran. */
    public Optional<byte[]> restored(String instanceId) {
        return Optional.ofNullable(restored.get(instanceId));
    }

    @Override
    public Health health() {
        String problem = serverProblem;
        return problem == null
                ? new Health(Map.of(), Map.of("fake", "up"))
                : new Health(Map.of("fake", problem), Map.of());
    }

    /** Makes its one server, {@code fake}, answer health checks as down with {@code problem}; null: up again. */
    public void serverDown(String problem) {
        serverProblem = problem;
    }

    /** The gate a {@code behaviour: block} instance's backups wait at, apart from its steps'. */
    public static String backupGate(String instanceId) {
        return instanceId + "/backup";
    }

    /** Lets the blocked step of {@code id} (an instance or binding id) go on. */
    public void release(String id) {
        gate(id).countDown();
    }

    public int calls(String step, String id) {
        return calls.getOrDefault(step + ":" + id, new AtomicInteger()).get();
    }

    public boolean instanceExists(String instanceId) {
        return existing.contains("instance:" + instanceId);
    }

    public boolean bindingExists(String bindingId) {
        return existing.contains("binding:" + bindingId);
    }

    private void step(String step, String id, Map<String, Object> parameters) {
        count(step, id);
        switch (String.valueOf(parameters.getOrDefault("behaviour", "ok"))) {
            case "block" -> await(id);
            case "slow" -> sleep(SLOW_STEP_MILLIS);
            case "fail" -> throw new ProvisioningFailedException("the fake server refused: quota exceeded");
            case "unavailable" ->
                throw new BackingServiceUnavailableException("the fake server is not answering", null);
            default -> {}
        }
    }

    private void count(String step, String id) {
        calls.computeIfAbsent(step + ":" + id, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(String id) {
        try {
            if (!gate(id).await(60, TimeUnit.SECONDS)) {
                throw new BackingServiceUnavailableException("the test never released " + id, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CountDownLatch gate(String id) {
        return gates.computeIfAbsent(id, k -> new CountDownLatch(1));
    }
}
