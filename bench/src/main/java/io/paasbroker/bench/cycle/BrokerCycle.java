package io.paasbroker.bench.cycle;

import io.paasbroker.bench.osb.OsbPlatform;
import java.util.UUID;

/**
 * A cycle as a platform drives it over OSB, synchronously (no accepts_incomplete): the same four calls for every
 * service, only the catalog ids differ.
 */
public final class BrokerCycle implements Cycle {

    private final OsbPlatform broker;
    private final String serviceId;
    private final String planId;
    private final String ids;

    public BrokerCycle(OsbPlatform broker, String serviceId, String planId) {
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

        long start = System.nanoTime();
        broker.call(
                "PUT",
                instance,
                "{" + ids + ", \"organization_guid\": \"bench-org\", \"space_guid\": \"bench-space\"}",
                201);
        long provisioned = System.nanoTime();
        broker.call("PUT", binding, "{" + ids + "}", 201);
        long bound = System.nanoTime();
        broker.call("DELETE", binding + query, null, 200);
        long unbound = System.nanoTime();
        broker.call("DELETE", instance + query, null, 200);
        long deprovisioned = System.nanoTime();
        return new CycleTiming(provisioned - start, bound - provisioned, unbound - bound, deprovisioned - unbound);
    }
}
