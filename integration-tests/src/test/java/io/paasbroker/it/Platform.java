package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** What a platform does with the broker of the integration tests' catalog: the OSB calls and the polling. */
public final class Platform {

    private final OsbClient osb;
    private final String service;
    private final String plan;

    public Platform(OsbClient osb, String service, String plan) {
        this.osb = osb;
        this.service = service;
        this.plan = plan;
    }

    /** The PostgreSQL plan of the integration tests' catalog ({@code it-catalog.yml}). */
    static Platform ofTestCatalog(BrokerProcess broker) {
        return new Platform(broker.client(), "it-postgresql", "it-small");
    }

    public OsbClient.Response provision(String instanceId, boolean async) {
        return provision(instanceId, async, Map.of());
    }

    public OsbClient.Response provision(String instanceId, boolean async, Map<String, Object> parameters) {
        return osb.put(
                "/v2/service_instances/" + instanceId + (async ? "?accepts_incomplete=true" : ""),
                Map.of(
                        "service_id",
                        service,
                        "plan_id",
                        plan,
                        "organization_guid",
                        "org-it",
                        "space_guid",
                        "space-it",
                        "context",
                        Map.of("platform", "cloudfoundry", "organization_guid", "org-it", "space_guid", "space-it"),
                        "parameters",
                        parameters));
    }

    public OsbClient.Response update(String instanceId, boolean async, Map<String, Object> parameters) {
        return osb.patch(
                "/v2/service_instances/" + instanceId + (async ? "?accepts_incomplete=true" : ""),
                Map.of("service_id", service, "plan_id", plan, "parameters", parameters));
    }

    public OsbClient.Response bind(String instanceId, String bindingId, boolean async) {
        return bind(instanceId, bindingId, async, Map.of());
    }

    public OsbClient.Response bind(String instanceId, String bindingId, boolean async, Map<String, Object> parameters) {
        return osb.put(
                binding(instanceId, bindingId) + (async ? "?accepts_incomplete=true" : ""),
                Map.of(
                        "service_id", service,
                        "plan_id", plan,
                        "bind_resource", Map.of("app_guid", "app-it"),
                        "parameters", parameters));
    }

    public OsbClient.Response unbind(String instanceId, String bindingId, boolean async) {
        return osb.delete(binding(instanceId, bindingId) + "?" + ids() + (async ? "&accepts_incomplete=true" : ""));
    }

    public OsbClient.Response deprovision(String instanceId, boolean async) {
        return osb.delete(
                "/v2/service_instances/" + instanceId + "?" + ids() + (async ? "&accepts_incomplete=true" : ""));
    }

    public JsonNode credentials(String instanceId, String bindingId) {
        OsbClient.Response fetched = osb.get(binding(instanceId, bindingId));
        assertThat(fetched.status())
                .as("GET binding " + bindingId + ": " + fetched)
                .isEqualTo(200);
        return fetched.body().get("credentials");
    }

    /** Polls the instance's last operation to its end and returns the HTTP status and state seen last. */
    public OsbClient.Response awaitInstance(String instanceId) {
        return await("/v2/service_instances/" + instanceId + "/last_operation");
    }

    public OsbClient.Response awaitBinding(String instanceId, String bindingId) {
        return await(binding(instanceId, bindingId) + "/last_operation");
    }

    private OsbClient.Response await(String path) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            OsbClient.Response response = osb.get(path);
            if (response.status() != 200 || !"in progress".equals(response.text("state"))) {
                return response;
            }
            assertThat(Instant.now()).as(path + " still in progress").isBefore(deadline);
            BrokerProcess.sleep(100);
        }
    }

    private String ids() {
        return "service_id=" + service + "&plan_id=" + plan;
    }

    private static String binding(String instanceId, String bindingId) {
        return "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId;
    }
}
