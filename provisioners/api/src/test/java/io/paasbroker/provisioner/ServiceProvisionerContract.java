package io.paasbroker.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.paasbroker.catalog.Plan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServiceProvisioner} must do, run against a real backing service: each provisioner's test extends
 * this class and supplies the hooks. Every test uses fresh random OSB ids and deprovisions what it provisioned.
 */
public abstract class ServiceProvisionerContract {

    /** What an application does with its binding's credentials, as far as these tests need it. */
    public interface TenantSession extends AutoCloseable {

        /** Stores {@code marker} in the instance, replacing any marker stored before. */
        void writeMarker(String marker);

        /** The marker last stored in the instance, through any of its bindings; null when none was. */
        String readMarker();

        /**
         * Reads, with this session's identity, the marker of the instance that {@code other} credentials belong to
         * (another database, key prefix, bucket). Throws when the backing service refuses.
         */
        String readMarkerOf(Credentials other);

        @Override
        void close();
    }

    /** The provisioner under test, connected to its backing service. */
    protected abstract ServiceProvisioner provisioner();

    /** A catalog plan the provisioner accepts. */
    protected abstract Plan plan();

    /** A session with {@code credentials}; it throws, here or at first use, when the service refuses them. */
    protected abstract TenantSession connectAs(Credentials credentials);

    /** Names of what still exists on the backing service for the instance: databases, users, keys, buckets, ... */
    protected abstract List<String> resourcesLeftFor(String instanceId);

    /**
     * The parameters of binding {@code bindingId} where a test gives none: none, unless the provisioner needs some
     * (the identity a binding lets in); the same each time for one binding.
     */
    protected Map<String, Object> bindParameters(String bindingId) {
        return Map.of();
    }

    /** How long a step that reports progress may take before the test fails. */
    protected Duration stepTimeout() {
        return Duration.ofMinutes(30);
    }

    /** How long to wait before polling a step that reported progress again. */
    protected Duration pollInterval() {
        return Duration.ofSeconds(5);
    }

    /** An instance a test provisioned: its plan and parameters, and the outputs and secrets its steps reported so far. */
    private record Provisioned(
            Plan plan, Map<String, Object> parameters, Map<String, String> outputs, Map<String, String> secrets) {}

    /** Synchronized: a test may provision from several threads at once. */
    private final Map<String, Provisioned> instances = Collections.synchronizedMap(new LinkedHashMap<>());

    @AfterEach
    void deprovisionWhatTheTestLeft() {
        for (String instanceId : List.copyOf(instances.keySet())) {
            deprovision(instanceId);
        }
    }

    @Test
    void provisionThenBindGivesCredentialsThatWork() {
        String instance = provision();

        Credentials credentials = bind(instance, newId());

        assertThat(writeThenRead(credentials, "written-by-the-first-binding"))
                .isEqualTo("written-by-the-first-binding");
    }

    @Test
    void provisioningAgainWithTheSameIdsAdoptsTheSameResource() {
        String instance = provision();
        writeThenRead(bind(instance, newId()), "before-the-second-provision");
        List<String> resources = resourcesLeftFor(instance);

        provisionAgain(instance);

        assertThat(resourcesLeftFor(instance)).containsExactlyInAnyOrderElementsOf(resources);
        assertThat(read(bind(instance, newId()))).isEqualTo("before-the-second-provision");
    }

    @Test
    void bindingAgainWithTheSameIdGivesWorkingCredentialsAndNoSecondUser() {
        String instance = provision();
        String binding = newId();
        bind(instance, binding);
        List<String> resources = resourcesLeftFor(instance);

        Credentials latest = bind(instance, binding);

        assertThat(writeThenRead(latest, "written-after-binding-again")).isEqualTo("written-after-binding-again");
        assertThat(resourcesLeftFor(instance)).containsExactlyInAnyOrderElementsOf(resources);
    }

    @Test
    void unbindRevokesThatBindingOnlyAndKeepsItsData() {
        String instance = provision();
        String first = newId();
        Credentials revoked = bind(instance, first);
        Credentials kept = bind(instance, newId());
        writeThenRead(revoked, "written-by-the-unbound-binding");

        unbind(instance, first);

        assertThatThrownBy(() -> read(revoked), "reading with the unbound binding's credentials");
        assertThat(read(kept)).isEqualTo("written-by-the-unbound-binding");
    }

    @Test
    void unbindingTwiceIsNoError() {
        String instance = provision();
        String binding = newId();
        bind(instance, binding);
        unbind(instance, binding);

        assertThatCode(() -> unbind(instance, binding)).doesNotThrowAnyException();
    }

    @Test
    void unbindingABindingThatNeverExistedIsNoError() {
        String instance = provision();

        assertThatCode(() -> unbind(instance, newId())).doesNotThrowAnyException();
    }

    @Test
    void deprovisionRemovesEverythingOfTheInstanceAndItsBindings() {
        String instance = provision();
        writeThenRead(bind(instance, newId()), "data-to-remove");
        bind(instance, newId());
        assertThat(resourcesLeftFor(instance)).isNotEmpty();

        deprovision(instance);

        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void deprovisioningTwiceIsNoError() {
        String instance = provision();
        InstanceRequest request = request(instance);
        deprovision(instance);

        assertThatCode(() -> completed(provisioner().deprovision(request), request))
                .doesNotThrowAnyException();
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void credentialsOfOneInstanceCannotReadAnotherInstancesData() {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        writeThenRead(theirs, "their-secret-data");

        try (TenantSession own = connectAs(theirs);
                TenantSession foreign = connectAs(mine)) {
            assertThat(own.readMarkerOf(theirs)).as("their own read").isEqualTo("their-secret-data");
            assertThatThrownBy(() -> foreign.readMarkerOf(theirs), "reading with another instance's credentials");
        }
    }

    @Test
    void anUpdateKeepsTheDataAndTheCredentialsIssuedBeforeIt() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before-update");

        update(instance, plan());

        assertThat(read(credentials)).isEqualTo("before-update");
    }

    @Test
    void credentialsShowNoValueWhenPrinted() {
        Credentials credentials = bind(provision(), newId());

        assertThat(credentials.values()).isNotEmpty();
        assertThat(credentials.toString())
                .isEqualTo("Credentials" + credentials.values().keySet());
        // a value may name another key (sslrootcert names the file ca.crt): only the names are printed
        assertThat(credentials.values().values())
                .filteredOn(value -> !credentials.values().containsKey(String.valueOf(value)))
                .allSatisfy(value -> assertThat(credentials.toString()).doesNotContain(String.valueOf(value)));
    }

    // --- steps, each as the broker runs it: the instance's outputs so far travel with every later request

    protected final String provision() {
        return provision(plan());
    }

    protected final String provision(Plan plan) {
        return provision(plan, Map.of());
    }

    protected final String provision(Plan plan, Map<String, Object> parameters) {
        return create(plan, parameters, provisioner()::provision);
    }

    /**
     * A new instance made by {@code firstStep} (a provision, a restore from a snapshot) and polled to its end, as the
     * broker runs it.
     */
    protected final String create(
            Plan plan, Map<String, Object> parameters, Function<InstanceRequest, StepOutcome> firstStep) {
        String instanceId = newId();
        instances.put(instanceId, new Provisioned(plan, parameters, Map.of(), Map.of()));
        run(instanceId, firstStep);
        return instanceId;
    }

    /** Runs the provision step of the instance (again), as the broker does when it retries a step. */
    protected final void provisionAgain(String instanceId) {
        run(instanceId, provisioner()::provision);
    }

    private void run(String instanceId, Function<InstanceRequest, StepOutcome> step) {
        InstanceRequest request = request(instanceId);
        StepOutcome.Completed done = completed(step.apply(request), request);
        Map<String, String> outputs = new HashMap<>(request.outputs());
        outputs.putAll(done.outputs());
        Map<String, String> secrets = done.secrets().isEmpty() ? request.secrets() : done.secrets();
        instances.put(instanceId, new Provisioned(request.plan(), request.parameters(), outputs, secrets));
    }

    protected final Credentials bind(String instanceId, String bindingId) {
        return bind(instanceId, bindingId, bindParameters(bindingId));
    }

    /** Binds as the broker does: through {@link AsyncBinder}, polling, where the provisioner has that role. */
    protected final Credentials bind(String instanceId, String bindingId, Map<String, Object> parameters) {
        BindRequest request = new BindRequest(request(instanceId), bindingId, parameters);
        if (!(provisioner() instanceof AsyncBinder binder)) {
            return provisioner().bind(request);
        }
        BindOutcome outcome = binder.startBind(request);
        Instant deadline = Instant.now().plus(stepTimeout());
        while (outcome instanceof StepOutcome.InProgress progress) {
            awaitNextPoll(deadline, progress);
            outcome = binder.pollBind(request, progress.reference());
        }
        return ((BindOutcome.Bound) outcome).credentials();
    }

    protected final void unbind(String instanceId, String bindingId) {
        BindRequest request = new BindRequest(request(instanceId), bindingId, Map.of());
        if (!(provisioner() instanceof AsyncBinder binder)) {
            provisioner().unbind(request);
            return;
        }
        StepOutcome outcome = binder.startUnbind(request);
        Instant deadline = Instant.now().plus(stepTimeout());
        while (outcome instanceof StepOutcome.InProgress progress) {
            awaitNextPoll(deadline, progress);
            outcome = binder.pollUnbind(request, progress.reference());
        }
    }

    /** Runs the update step to {@code plan}, its parameters kept, as the broker does for a plan change. */
    protected final void update(String instanceId, Plan plan) {
        update(instanceId, plan, instances.get(instanceId).parameters());
    }

    /** Runs the update step to {@code plan} and {@code parameters}. */
    protected final void update(String instanceId, Plan plan, Map<String, Object> parameters) {
        InstanceRequest before = request(instanceId);
        Provisioned instance = instances.get(instanceId);
        instances.put(instanceId, new Provisioned(plan, parameters, instance.outputs(), instance.secrets()));
        InstanceRequest request = request(instanceId);
        StepOutcome.Completed updated = completed(
                provisioner().update(new UpdateRequest(request, before.plan(), before.parameters())), request);
        Map<String, String> outputs = new HashMap<>(request.outputs());
        outputs.putAll(updated.outputs());
        Map<String, String> secrets = updated.secrets().isEmpty() ? request.secrets() : updated.secrets();
        instances.put(instanceId, new Provisioned(plan, parameters, outputs, secrets));
    }

    protected final void deprovision(String instanceId) {
        InstanceRequest request = request(instanceId);
        completed(provisioner().deprovision(request), request);
        instances.remove(instanceId);
    }

    protected final InstanceRequest request(String instanceId) {
        Provisioned instance = instances.get(instanceId);
        return new InstanceRequest(
                instanceId,
                instance.plan(),
                instance.parameters(),
                Map.of("organization_guid", "org-contract", "space_guid", "space-contract"),
                instance.outputs(),
                instance.secrets());
    }

    /** The instance's backup, whole. */
    protected final byte[] backup(String instanceId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provisioner().backups().orElseThrow().backup(request(instanceId), out);
        return out.toByteArray();
    }

    protected final void restore(String instanceId, byte[] backup) {
        provisioner().backups().orElseThrow().restore(request(instanceId), new ByteArrayInputStream(backup));
    }

    protected static String newId() {
        return UUID.randomUUID().toString();
    }

    // --- what an application does with credentials

    protected final String writeThenRead(Credentials credentials, String marker) {
        try (TenantSession session = connectAs(credentials)) {
            session.writeMarker(marker);
            return session.readMarker();
        }
    }

    protected final String read(Credentials credentials) {
        try (TenantSession session = connectAs(credentials)) {
            return session.readMarker();
        }
    }

    private StepOutcome.Completed completed(StepOutcome outcome, InstanceRequest request) {
        Instant deadline = Instant.now().plus(stepTimeout());
        while (outcome instanceof StepOutcome.InProgress progress) {
            awaitNextPoll(deadline, progress);
            outcome = provisioner().poll(request, progress.reference());
        }
        return (StepOutcome.Completed) outcome;
    }

    private void awaitNextPoll(Instant deadline, StepOutcome.InProgress progress) {
        if (Instant.now().isAfter(deadline)) {
            fail("still in progress after %s: %s", stepTimeout(), progress.description());
        }
        sleep(pollInterval());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a step", e);
        }
    }
}
