package io.paasbroker.broker.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.backup.BackupParameters;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker on its embedded default (a real PostgreSQL server started by the broker), on a random port, with the
 * test catalog: real PostgreSQL plans and plans of a {@link ControllableProvisioner}. One application context serves
 * every test class that extends this one.
 */
@SpringBootTest(
        classes = io.paasbroker.broker.PaasbrokerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BrokerIT.Provisioners.class)
@AutoConfigureObservability(tracing = false)
public abstract class BrokerIT {

    public static final String PG_SERVICE = "pg-service";
    public static final String PG_SMALL = "pg-small";
    public static final String FAKE_SERVICE = "fake-service";
    public static final String FAKE_PLAN = "fake-plan";
    public static final String USER = "platform";
    public static final String PASSWORD = "platform-password-for-tests";
    /** A second platform, configured the production way: by a BCrypt hash of its password. */
    public static final String SECOND_PLATFORM = "kubernetes-service-catalog";

    public static final String SECOND_PASSWORD = "second-platform-password";
    /** An operator: may call /admin, and nothing else. */
    public static final String OPERATOR = "operator";

    public static final String OPERATOR_PASSWORD = "operator-password-for-tests";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // run once per application context: a test class with settings of its own gets a directory of its own
        Path data = Path.of("target", "broker-it-data-" + UUID.randomUUID());
        registry.add("paasbroker.data-directory", data::toString);
        registry.add("paasbroker.catalog", () -> "classpath:test-catalog.yml");
        // the OSB scenarios need PostgreSQL only; the integration tests run the full embedded default
        registry.add("paasbroker.embedded.mysql", () -> "false");
        registry.add("paasbroker.embedded.redis", () -> "false");
        registry.add("paasbroker.embedded.opensearch", () -> "false");
        registry.add("paasbroker.operations.poll-interval", () -> "100ms");
        registry.add("paasbroker.operations.retry-backoff", () -> "200ms");
        registry.add("paasbroker.operations.give-up-after", () -> "1s");
        registry.add("paasbroker.operations.retry-after", () -> "3s");
        registry.add("spring.security.user.name", () -> USER);
        registry.add("spring.security.user.password", () -> PASSWORD);
        registry.add("paasbroker.security.platforms[0].username", () -> SECOND_PLATFORM);
        registry.add(
                "paasbroker.security.platforms[0].password-hash",
                () -> new BCryptPasswordEncoder(4).encode(SECOND_PASSWORD));
        registry.add("paasbroker.security.operators[0].username", () -> OPERATOR);
        registry.add(
                "paasbroker.security.operators[0].password-hash",
                () -> new BCryptPasswordEncoder(4).encode(OPERATOR_PASSWORD));
    }

    @TestConfiguration
    public static class Provisioners {
        @Bean
        @Primary
        ControllableProvisioner controllableProvisioner() {
            return new ControllableProvisioner();
        }

        /** Serves a plan of the controllable service under another provisioner's name, its backups in its own format. */
        @Bean
        ControllableProvisioner otherControllableProvisioner() {
            return new ControllableProvisioner() {
                @Override
                public String name() {
                    return "azure";
                }

                @Override
                public Optional<InstanceBackups> backups() {
                    return super.backups().map(fake -> new InstanceBackups() {
                        @Override
                        public String format() {
                            return "fake-elsewhere/1";
                        }

                        @Override
                        public void backup(InstanceRequest instance, OutputStream out) {
                            fake.backup(instance, out);
                        }

                        @Override
                        public void restore(InstanceRequest instance, InputStream in) {
                            fake.restore(instance, in);
                        }
                    });
                }
            };
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected ControllableProvisioner fake;

    @Autowired
    protected JdbcClient jdbc;

    protected OsbClient osb;

    @BeforeEach
    void client() {
        osb = new OsbClient("http://127.0.0.1:" + port, USER, PASSWORD);
    }

    protected static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A provision body as Cloud Foundry sends it. */
    protected static Map<String, Object> provision(String serviceId, String planId, Map<String, Object> parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service_id", serviceId);
        body.put("plan_id", planId);
        body.put("organization_guid", "org-1");
        body.put("space_guid", "space-1");
        body.put("context", Map.of("platform", "cloudfoundry", "organization_guid", "org-1", "space_guid", "space-1"));
        body.put("parameters", parameters);
        return body;
    }

    protected static Map<String, Object> fakeProvision(String behaviour) {
        return provision(FAKE_SERVICE, FAKE_PLAN, Map.of("behaviour", behaviour));
    }

    protected static Map<String, Object> bind(String serviceId, String planId, Map<String, Object> parameters) {
        return Map.of(
                "service_id", serviceId,
                "plan_id", planId,
                "bind_resource", Map.of("app_guid", "app-1"),
                "parameters", parameters);
    }

    /** An on-demand backup of an instance of the fake plan, asked for as a platform does: the update parameter. */
    protected void backUpNow(String instanceId) {
        osb.patch(
                instancePath(instanceId),
                Map.of(
                        "service_id",
                        FAKE_SERVICE,
                        "plan_id",
                        FAKE_PLAN,
                        "parameters",
                        Map.of(BackupParameters.BACKUP, "now")));
    }

    protected static String instancePath(String id) {
        return "/v2/service_instances/" + id;
    }

    protected static String bindingPath(String instanceId, String bindingId) {
        return instancePath(instanceId) + "/service_bindings/" + bindingId;
    }

    /** Polls last_operation like a platform until the operation is no longer in progress; returns the last answer. */
    protected OsbClient.Response awaitOperation(String lastOperationPath) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            OsbClient.Response response = osb.get(lastOperationPath);
            if (response.status() != 200 || !"in progress".equals(response.text("state"))) {
                return response;
            }
            assertThat(Instant.now())
                    .as("operation still in progress: " + response)
                    .isBefore(deadline);
            sleep(50);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected static JsonNode credentials(OsbClient.Response bindResponse) {
        return bindResponse.body().get("credentials");
    }
}
