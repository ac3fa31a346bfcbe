package io.paasbroker.provisioner.azure;

import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The resource groups the plans of one provisioner put resources in, gathered as plans are checked at start-up; the
 * provisioner is healthy when Azure Resource Manager shows the broker each of them (one cheap read each).
 */
public final class ResourceGroups {

    private static final String API_VERSION = "2021-04-01";

    private final Set<String> ids = new ConcurrentSkipListSet<>();

    public void add(String subscriptionId, String resourceGroup) {
        ids.add("/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup);
    }

    /** Their ids: {@code /subscriptions/<id>/resourceGroups/<name>}. */
    public Set<String> ids() {
        return Set.copyOf(ids);
    }

    /** {@code service}: its name in the report ({@code postgresql}). */
    public Health health(String service, ArmClient arm) {
        Map<String, String> problems = new TreeMap<>();
        Map<String, String> up = new TreeMap<>();
        for (String id : ids) {
            String name = service + " " + id;
            try {
                arm.get(id, API_VERSION, "reading resource group " + id);
                up.put(name, "UP");
            } catch (RuntimeException e) {
                problems.put(name, e.getMessage());
            }
        }
        return new Health(problems, up);
    }
}
