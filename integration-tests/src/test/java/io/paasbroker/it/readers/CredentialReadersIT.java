package io.paasbroker.it.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.BrokerProcess;
import io.paasbroker.it.Platform;
import io.paasbroker.it.isolation.MysqlProbe;
import io.paasbroker.it.isolation.OpenSearchProbe;
import io.paasbroker.it.isolation.PostgresProbe;
import io.paasbroker.it.isolation.RedisProbe;
import io.paasbroker.it.isolation.TenantProbe;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real bindings of the embedded default, read by the readers Java applications use, with no code of the application's
 * own: java-cfenv fed a {@code VCAP_SERVICES} written as the Cloud Controller writes it, and Spring Cloud Bindings fed
 * a servicebinding.io binding directory. Each run of {@link ReaderApp} is a JVM of its own, as an application is, and
 * must write and read its service over TLS that verifies the server. Where a reader maps too little, the run adds the
 * properties the README documents for it, and only those.
 */
class CredentialReadersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A CA that did not sign the servers' certificates: connections trusting it must fail. */
    private static final Path OTHER_CA = Path.of("/etc/ssl/certs/ISRG_Root_X1.pem");

    private static BrokerProcess broker;
    private static Path work;

    @BeforeAll
    static void broker() {
        work = Path.of("target", "it-work", "readers-" + UUID.randomUUID()).toAbsolutePath();
        broker = BrokerProcess.start("readers", work.resolve("broker"), List.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void cloudFoundryAppsConnectToPostgresqlAndMysqlOverVerifiedTlsWithNoSettings() throws Exception {
        assertThat(onCloudFoundry(bound(new PostgresProbe()), "-", List.of()))
                .isEqualTo("written by the reader sslmode=verify-full");
        assertThat(onCloudFoundry(bound(new MysqlProbe()), "-", List.of())).isEqualTo("written by the reader tls=1");
    }

    @Test
    void kubernetesAppsConnectToPostgresqlAndMysqlOverVerifiedTlsWithNoSettings() throws Exception {
        assertThat(onKubernetes(bound(new PostgresProbe()), "-", List.of()))
                .isEqualTo("written by the reader sslmode=verify-full");
        assertThat(onKubernetes(bound(new MysqlProbe()), "-", List.of())).isEqualTo("written by the reader tls=1");
    }

    /** The CA in the credentials is what the driver verifies against: another CA and the connection is refused. */
    @Test
    void aConnectionVerifyingAgainstAnotherCaIsRefused() throws Exception {
        ObjectNode credentials = (ObjectNode) bound(new PostgresProbe()).credentials();
        String ca = credentials.get("ca_certificate").asText();
        String other = Files.readString(OTHER_CA);
        credentials.put(
                "jdbcUrl", credentials.get("jdbcUrl").asText().replace(encoded(ca), encoded(other.strip() + "\n")));
        Binding tampered = new Binding("postgresql", "small", List.of("postgresql"), credentials);

        Run run = runOnCloudFoundry(tampered, "-", List.of());

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("PKIX path");
    }

    /**
     * java-cfenv maps no Redis user name (each binding is an ACL user) and Spring Boot trusts only the JVM's CAs: the
     * README's three properties.
     */
    @Test
    void cloudFoundryAppsWriteToRedisWithTheDocumentedProperties() throws Exception {
        Binding redis = bound(new RedisProbe());
        String prefix = redis.credentials().get("key_prefix").asText();
        String credentials = "vcap.services." + redis.name() + ".credentials.";
        List<String> documented = List.of(
                "--spring.data.redis.username=${" + credentials + "username}",
                "--spring.data.redis.ssl.bundle=binding",
                "--spring.ssl.bundle.pem.binding.truststore.certificate=${" + credentials + "ca_certificate}");

        assertThat(onCloudFoundry(redis, prefix, documented)).isEqualTo("written by the reader");
        Run withoutUser = runOnCloudFoundry(redis, prefix, documented.subList(1, 3));
        assertThat(withoutUser.exitCode()).isNotZero();
        assertThat(withoutUser.output())
                .as("without the user name, the password is refused")
                .contains("WRONGPASS");
    }

    /** java-cfenv has no reader for OpenSearch: the README's mapping onto Spring Boot's Elasticsearch client. */
    @Test
    void cloudFoundryAppsWriteToOpenSearchWithTheDocumentedProperties() throws Exception {
        Binding search = bound(OpenSearchProbe.local());
        String credentials = "vcap.services." + search.name() + ".credentials.";
        List<String> documented = List.of(
                "--spring.elasticsearch.uris=${" + credentials + "uris}",
                "--spring.elasticsearch.username=${" + credentials + "username}",
                "--spring.elasticsearch.password=${" + credentials + "password}",
                "--spring.elasticsearch.restclient.ssl.bundle=binding",
                "--spring.ssl.bundle.pem.binding.truststore.certificate=${" + credentials + "ca_certificate}");

        assertThat(onCloudFoundry(
                        search, search.credentials().get("index_prefix").asText(), documented))
                .isEqualTo("written by the reader");
    }

    /** Spring Cloud Bindings takes the user from {@code url}; only the CA needs the README's two properties. */
    @Test
    void kubernetesAppsWriteToRedisAndOpenSearchWithTheDocumentedProperties() throws Exception {
        Binding redis = bound(new RedisProbe());
        assertThat(onKubernetes(
                        redis,
                        redis.credentials().get("key_prefix").asText(),
                        trustingTheBindingsCa(redis, "spring.data.redis.ssl.bundle")))
                .isEqualTo("written by the reader");

        Binding search = bound(OpenSearchProbe.local());
        assertThat(onKubernetes(
                        search,
                        search.credentials().get("index_prefix").asText(),
                        trustingTheBindingsCa(search, "spring.elasticsearch.restclient.ssl.bundle")))
                .isEqualTo("written by the reader");
    }

    private static List<String> trustingTheBindingsCa(Binding binding, String bundleProperty) {
        return List.of(
                "--" + bundleProperty + "=binding",
                "--spring.ssl.bundle.pem.binding.truststore.certificate=${k8s.bindings." + binding.name() + ".ca.crt}");
    }

    /** A binding as the platform sees it: its service's catalog name and tags, its plan's name, its credentials. */
    private record Binding(String label, String plan, List<String> tags, JsonNode credentials) {

        String name() {
            return label + "-instance";
        }
    }

    private static Binding bound(TenantProbe probe) {
        OsbClient osb = broker.client();
        Platform platform = new Platform(osb, probe.service(), probe.plan());
        String instance = UUID.randomUUID().toString();
        assertThat(platform.provision(instance, false).status()).isEqualTo(201);
        OsbClient.Response bound = platform.bind(instance, UUID.randomUUID().toString(), false);
        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        JsonNode service = catalogEntry(osb.get("/v2/catalog").body().get("services"), probe.service());
        JsonNode plan = catalogEntry(service.get("plans"), probe.plan());
        List<String> tags = new ArrayList<>();
        service.get("tags").forEach(tag -> tags.add(tag.asText()));
        return new Binding(
                service.get("name").asText(),
                plan.get("name").asText(),
                tags,
                bound.body().get("credentials"));
    }

    private static JsonNode catalogEntry(JsonNode entries, String id) {
        for (JsonNode entry : entries) {
            if (entry.get("id").asText().equals(id)) {
                return entry;
            }
        }
        throw new AssertionError("no catalog entry " + id);
    }

    /** What the application printed as its result; null when it printed none (it failed). */
    private static String onCloudFoundry(Binding binding, String prefix, List<String> properties) throws Exception {
        return result(runOnCloudFoundry(binding, prefix, properties));
    }

    private static Run runOnCloudFoundry(Binding binding, String prefix, List<String> properties) throws Exception {
        return runApp(binding, Map.of("VCAP_SERVICES", vcapServices(binding)), prefix, properties);
    }

    private static String onKubernetes(Binding binding, String prefix, List<String> properties) throws Exception {
        Path root = Files.createDirectories(work.resolve("bindings-" + UUID.randomUUID()));
        Path directory = Files.createDirectories(root.resolve(binding.name()));
        for (Iterator<Map.Entry<String, JsonNode>> entries =
                        binding.credentials().fields();
                entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            Files.writeString(
                    directory.resolve(entry.getKey()), entry.getValue().asText());
        }
        return result(runApp(binding, Map.of("SERVICE_BINDING_ROOT", root.toString()), prefix, properties));
    }

    /** {@code VCAP_SERVICES} as the Cloud Controller writes it for one service instance bound to the app. */
    private static String vcapServices(Binding binding) throws IOException {
        ObjectNode instance = JSON.createObjectNode();
        instance.put("label", binding.label());
        instance.putNull("provider");
        instance.put("plan", binding.plan());
        instance.put("name", binding.name());
        ArrayNode tags = instance.putArray("tags");
        binding.tags().forEach(tags::add);
        instance.put("instance_guid", UUID.randomUUID().toString());
        instance.put("instance_name", binding.name());
        instance.put("binding_guid", UUID.randomUUID().toString());
        instance.putNull("binding_name");
        instance.set("credentials", binding.credentials());
        instance.putNull("syslog_drain_url");
        instance.putArray("volume_mounts");
        ObjectNode services = JSON.createObjectNode();
        services.putArray(binding.label()).add(instance);
        return JSON.writeValueAsString(services);
    }

    private record Run(int exitCode, String output) {}

    /**
     * The application in a JVM of its own, for the binding's kind ({@code type}); its output, with the binding's
     * secrets hidden.
     */
    private static Run runApp(Binding binding, Map<String, String> environment, String prefix, List<String> properties)
            throws Exception {
        String kind = binding.credentials().get("type").asText();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                testClassPath(),
                ReaderApp.class.getName(),
                kind,
                prefix));
        if (!kind.equals("postgresql") && !kind.equals("mysql")) {
            command.add("--spring.autoconfigure.exclude="
                    + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration");
        }
        command.addAll(properties);
        Path log = Files.createTempFile(work, "reader-", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("VCAP_SERVICES");
        builder.environment().remove("SERVICE_BINDING_ROOT");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application did not end within 120 s");
        }
        String output = Files.readString(log);
        for (String secret : List.of("password", "jdbcUrl", "uri", "url")) {
            JsonNode value = binding.credentials().get(secret);
            if (value != null) {
                output = output.replace(value.asText(), "<" + secret + ">");
            }
        }
        return new Run(
                process.exitValue(),
                output.replace(binding.credentials().get("password").asText(), "<password>"));
    }

    private static String result(Run run) {
        System.out.println(run.output()
                .lines()
                .filter(line -> line.contains("Exception") || line.startsWith("RESULT"))
                .limit(5)
                .reduce("", (a, b) -> a + b + "\n"));
        return run.output()
                .lines()
                .filter(line -> line.startsWith("RESULT "))
                .map(line -> line.substring("RESULT ".length()))
                .findFirst()
                .orElse(null);
    }

    /** Failsafe starts tests through a jar that names the class path in its manifest; the real one is here. */
    private static String testClassPath() {
        String classPath = System.getProperty("surefire.test.class.path");
        return classPath != null ? classPath : System.getProperty("java.class.path");
    }

    private static String encoded(String pem) {
        return URLEncoder.encode(pem, StandardCharsets.UTF_8);
    }
}
