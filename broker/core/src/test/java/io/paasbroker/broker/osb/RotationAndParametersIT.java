package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OSB 2.17 binding rotation, and parameters a provisioner refuses though the plan's schema lets them through. */
class RotationAndParametersIT extends BrokerIT {

    private static final String UNBIND_QUERY = "?service_id=" + PG_SERVICE + "&plan_id=" + PG_SMALL;

    @Test
    void catalogMarksRotatablePlans() {
        JsonNode plans = osb.get("/v2/catalog").body().get("services").get(0).get("plans");

        assertThat(plans.get(0).get("id").asText()).isEqualTo(PG_SMALL);
        assertThat(plans.get(0).get("binding_rotatable").asBoolean()).isTrue();
        assertThat(plans.get(1).has("binding_rotatable")).isFalse();
    }

    @Test
    void rotatedBindingGetsNewCredentialsWithThePredecessorsAccess() throws SQLException {
        String instance = newId();
        osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of()));
        JsonNode writer = credentials(osb.put(bindingPath(instance, newId()), bind(PG_SERVICE, PG_SMALL, Map.of())));
        execute(writer, "CREATE TABLE t (v int)");
        String predecessor = newId();
        JsonNode old = credentials(
                osb.put(bindingPath(instance, predecessor), bind(PG_SERVICE, PG_SMALL, Map.of("read_only", true))));

        Map<String, Object> rotation = new HashMap<>(bind(PG_SERVICE, PG_SMALL, Map.of()));
        rotation.put("predecessor_binding_id", predecessor);
        OsbClient.Response rotated = osb.put(bindingPath(instance, newId()), rotation);

        assertThat(rotated.status()).isEqualTo(201);
        JsonNode successor = credentials(rotated);
        assertThat(successor.get("username").asText())
                .isNotEqualTo(old.get("username").asText());
        execute(successor, "SELECT count(*) FROM t");
        assertThatThrownBy(() -> execute(successor, "INSERT INTO t VALUES (1)"))
                .as("the successor is read-only like its predecessor")
                .isInstanceOf(SQLException.class);
        execute(old, "SELECT count(*) FROM t");
        assertThat(osb.delete(bindingPath(instance, predecessor) + UNBIND_QUERY).status())
                .isEqualTo(200);
        execute(successor, "SELECT count(*) FROM t");
    }

    @Test
    void rotationOnAPlanThatDoesNotRotateGivesBadRequest() {
        String instance = newId();
        osb.put(instancePath(instance), fakeProvision("ok"));
        String predecessor = newId();
        osb.put(bindingPath(instance, predecessor), bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));
        Map<String, Object> rotation = new HashMap<>(bind(FAKE_SERVICE, FAKE_PLAN, Map.of()));
        rotation.put("predecessor_binding_id", predecessor);

        OsbClient.Response refused = osb.put(bindingPath(instance, newId()), rotation);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("description")).contains("binding_rotatable");
    }

    @Test
    void rotationFromABindingThatDoesNotExistGivesBadRequest() {
        String instance = newId();
        osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of()));
        Map<String, Object> rotation = new HashMap<>(bind(PG_SERVICE, PG_SMALL, Map.of()));
        rotation.put("predecessor_binding_id", "no-such-binding");

        OsbClient.Response refused = osb.put(bindingPath(instance, newId()), rotation);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("description")).contains("no-such-binding");
    }

    @Test
    void anExtensionThePlanDoesNotAllowGivesBadRequestNamingIt() {
        String instance = newId();

        OsbClient.Response refused = osb.put(
                instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of("extensions", List.of("plpython3u"))));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("description")).contains("plpython3u");
        assertThat(osb.get(instancePath(instance) + "/last_operation").status()).isEqualTo(404);
    }

    @Test
    void anAllowedExtensionIsCreated() throws SQLException {
        String instance = newId();
        osb.put(instancePath(instance), provision(PG_SERVICE, PG_SMALL, Map.of("extensions", List.of("citext"))));
        JsonNode tenant = credentials(osb.put(bindingPath(instance, newId()), bind(PG_SERVICE, PG_SMALL, Map.of())));

        execute(tenant, "SELECT 'A'::citext = 'a'::citext");
    }

    private static void execute(JsonNode credentials, String sql) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(credentials.get("jdbcUrl").asText());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
