package io.paasbroker.bench.cycle;

import io.paasbroker.bench.osb.OsbPlatform;
import java.time.Duration;
import java.util.UUID;

/**
 * A cycle as a platform drives it over OSB, synchronously (no accepts_incomplete): the same four calls for every
 * service, only the catalog ids differ. Each call's backing time is what the broker reports in its answer.
 */
public final class BrokerCycle implements Cycle {

    private final OsbPlatform broker;
    private final String serviceId;
    private final String planId;
    private final String ids;
    private final Duration idleBeforeEachCall;

    public BrokerCycle(OsbPlatform broker, String serviceId, String planId) {
        this(broker, serviceId, planId, Duration.ZERO);
    }

    /** {@code idleBeforeEachCall}: how long the machine is left idle before each call, outside its time. */
    public BrokerCycle(OsbPlatform broker, String serviceId, String planId, Duration idleBeforeEachCall) {
        this.idleBeforeEachCall = idleBeforeEachCall;
        this.broker = broker;
        this.serviceId = serviceId;
        this.planId = planId;
        this.ids = "\"service_id\": \"" + serviceId + "\", \"plan_id\": \"" + planId + "\"";
    }

    @Override
    public CycleTiming run() {
        String instance = "/v2/service_instances/" + UUID.randomUUID();
        String binding = instance + "/service_bindings/" + UUID.randomUUID();
        String query = "?service_id=" + serviceId + "&plan_id=" + planId;

        return new CycleTiming(
                step(
                        "PUT",
                        instance,
                        "{" + ids + ", \"organization_guid\": \"bench-org\", \"space_guid\": \"bench-space\"}",
                        201),
                step("PUT", binding, "{" + ids + "}", 201),
                step("DELETE", binding + query, null, 200),
                step("DELETE", instance + query, null, 200));
    }

    private CycleTiming.Step step(String method, String path, String jsonBody, int expected) {
        Cycle.idle(idleBeforeEachCall);
        long start = System.nanoTime();
        OsbPlatform.ServerTiming timing = broker.callForServerTiming(method, path, jsonBody, expected);
        return new CycleTiming.Step(System.nanoTime() - start, timing.backingNanos(), timing.totalNanos());
    }
}
