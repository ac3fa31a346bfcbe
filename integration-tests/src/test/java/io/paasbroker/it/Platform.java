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

    /**
     * Backs the instance up now ({@code {"backup": "now"}}) and waits for the update to succeed; answers the backup
     * as {@code GET instance} lists it, checked to be completed and of {@code storage}.
     */
    public JsonNode backUpNow(String instanceId, String storage) {
        assertThat(update(instanceId, true, Map.of("backup", "now")).status()).isEqualTo(202);
        assertThat(awaitInstance(instanceId).text("state")).isEqualTo("succeeded");
        JsonNode backup = osb.get("/v2/service_instances/" + instanceId).body().at("/parameters/backups/0");
        assertThat(backup.get("storage").asText()).isEqualTo(storage);
        assertThat(backup.get("state").asText()).isEqualTo("completed");
        return backup;
    }

    /** Provisions {@code instanceId} from {@code backup} ({@code restore_from_backup}) and waits for it to succeed. */
    public void restore(String instanceId, JsonNode backup) {
        assertThat(provision(
                                instanceId,
                                true,
                                Map.of("restore_from_backup", backup.get("id").asText()))
                        .status())
                .isEqualTo(202);
        assertThat(awaitInstance(instanceId).text("state")).isEqualTo("succeeded");
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
