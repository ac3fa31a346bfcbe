package io.paasbroker.bench.cycle;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The physical floor: the steps of a cycle called directly on the provisioner the broker runs, against the same
 * server, with no HTTP, state store or credential store in between.
 */
public final class ProvisionerCycle implements Cycle, AutoCloseable {

    private final ServiceProvisioner provisioner;
    private final Plan plan;
    private final List<AutoCloseable> resources;
    private final Duration idleBeforeEachStep;

    public ProvisionerCycle(ServiceProvisioner provisioner, Plan plan) {
        this(provisioner, plan, List.of());
    }

    /**
     * {@code resources}: what the raw side runs for the provisioner besides it (a server of its own, its storage),
     * closed after it, in this order.
     */
    public ProvisionerCycle(ServiceProvisioner provisioner, Plan plan, List<AutoCloseable> resources) {
        this(provisioner, plan, resources, Duration.ZERO);
        provisioner.checkPlan(plan);
    }

    private ProvisionerCycle(
            ServiceProvisioner provisioner, Plan plan, List<AutoCloseable> resources, Duration idleBeforeEachStep) {
        this.provisioner = provisioner;
        this.plan = plan;
        this.resources = List.copyOf(resources);
        this.idleBeforeEachStep = idleBeforeEachStep;
    }

    /** The same cycle, leaving the machine idle for {@code pause} before each step, outside the step's time. */
    public ProvisionerCycle idlingBeforeEachStep(Duration pause) {
        return new ProvisionerCycle(provisioner, plan, resources, pause);
    }

    @Override
    public CycleTiming run() {
        InstanceRequest instance =
                new InstanceRequest(UUID.randomUUID().toString(), plan, Map.of(), Map.of(), Map.of());
        BindRequest binding = new BindRequest(instance, UUID.randomUUID().toString(), Map.of());

        return new CycleTiming(
                step(() -> requireCompleted(provisioner.provision(instance))),
                step(() -> provisioner.bind(binding)),
                step(() -> provisioner.unbind(binding)),
                step(() -> requireCompleted(provisioner.deprovision(instance))));
    }

    private CycleTiming.Step step(Runnable call) {
        Cycle.idle(idleBeforeEachStep);
        long start = System.nanoTime();
        call.run();
        return CycleTiming.Step.raw(System.nanoTime() - start);
    }

    public Class<?> provisionerClass() {
        return provisioner.getClass();
    }

    private static void requireCompleted(StepOutcome outcome) {
        if (!(outcome instanceof StepOutcome.Completed)) {
            throw new IllegalStateException("a synchronous cycle needs steps that complete at once, got " + outcome);
        }
    }

    @Override
    public void close() throws Exception {
        if (provisioner instanceof AutoCloseable closeable) {
            closeable.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }
}
