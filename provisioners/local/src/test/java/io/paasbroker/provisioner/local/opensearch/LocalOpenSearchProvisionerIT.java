package io.paasbroker.provisioner.local.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.catalog.Plan;
import io.paasbroker.opensearch.node.OpenSearchNode;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.local.common.ClosedPort;
import io.paasbroker.provisioner.local.common.LocalPlans;
import io.paasbroker.provisioner.local.common.ServerProvisionerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch.core.GetResponse;

/**
 * The provisioner contract and OpenSearch's own isolation guarantees, on a real OpenSearch 2.19 node with the security
 * plugin (started once for the class, in a JVM of its own), used by tenants through OpenSearch's Java client.
 */
@Timeout(60)
class LocalOpenSearchProvisionerIT extends ServerProvisionerContract<LocalOpenSearchProvisioner> {

    private static final String MARKERS = "markers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path home;
    private static OpenSearchNode node;
    private static LocalOpenSearchProvisioner provisioner;
    /** The test's own view of the node, as its administrator, independent of the provisioner. */
    private static RestCaller admin;

    LocalOpenSearchProvisionerIT() {
        super("OpenSearch", "shards");
    }

    @BeforeAll
    @Timeout(300)
    static void startANodeWithTheSecurityPlugin() throws IOException {
        home = Files.createTempDirectory("paasbroker-it-opensearch");
        node = OpenSearchNode.builder(home)
                .distributions(Path.of("target", "opensearch-distributions"))
                .start();
        provisioner = new LocalOpenSearchProvisioner(List.of(server("shared")));
        admin = new RestCaller(node.uri(), node.adminUsername(), node.adminPassword());
    }

    @AfterAll
    static void stop() throws IOException {
        if (provisioner != null) {
            provisioner.close();
        }
        if (node != null) {
            node.stop();
        }
        if (home != null) {
            try (Stream<Path> tree = Files.walk(home)) {
                tree.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private static OpenSearchServer server(String name) {
        return new OpenSearchServer(
                name,
                node.scheme(),
                node.host(),
                node.port(),
                node.adminUsername(),
                node.adminPassword(),
                null,
                null,
                0,
                Duration.ofSeconds(10));
    }

    // --- the contract's hooks

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new OpenSearchSession(TenantClient.connect(credentials), credentials);
    }

    @Override
    protected Plan planWith(Map<String, Object> properties) {
        return plan(properties);
    }

    @Override
    protected LocalOpenSearchProvisioner onClosedPort(String name, String adminPassword) throws IOException {
        return new LocalOpenSearchProvisioner(List.of(unreachable(name, adminPassword)));
    }

    /** Each cycle writes the security configuration several times, a second or so each time. */
    @Override
    protected int rotationsDuringSteps() {
        return 3;
    }

    /** An internal user with the admin backend role, which the node maps to all access. */
    @Override
    protected SecondAdmin<LocalOpenSearchProvisioner> secondAdmin(String password) {
        String account = "rotating_admin_" + newId().substring(0, 8);
        String user = "/_plugins/_security/api/internalusers/" + account;
        assertThat(admin.call("PUT", user, "{\"password\":\"" + password + "\",\"backend_roles\":[\"admin\"]}")
                        .status())
                .isEqualTo(201);
        LocalOpenSearchProvisioner rotating = new LocalOpenSearchProvisioner(List.of(new OpenSearchServer(
                "rotating", node.scheme(), node.host(), node.port(), account, password, null, null, 0, null)));
        return new SecondAdmin<>() {
            @Override
            public LocalOpenSearchProvisioner provisioner() {
                return rotating;
            }

            @Override
            public boolean logsIn(String candidate) {
                int status = new RestCaller(node.uri(), account, candidate)
                        .call("GET", "/_plugins/_security/authinfo")
                        .status();
                assertThat(status).as("authinfo as " + account).isIn(200, 401);
                return status == 200;
            }

            @Override
            public Optional<KeptLogin> keepLogin(String candidate) {
                return Optional.empty();
            }

            @Override
            public void close() {
                try {
                    rotating.close();
                } finally {
                    admin.call("DELETE", user);
                }
            }
        };
    }

    /**
     * The instance's users, roles and role mappings: what the provisioner creates. Indices are the tenant's data, as
     * tables are in PostgreSQL (the contract writes a marker between two looks); {@link #indicesOf} checks that
     * deprovision removes them.
     */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>();
        try {
            JSON.readTree(admin.call("GET", "/_plugins/_security/api/internalusers")
                            .body())
                    .fieldNames()
                    .forEachRemaining(user -> {
                        if (user.startsWith(OpenSearchNames.userPrefix(instanceId))) {
                            left.add("user " + user);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String role : List.of(OpenSearchNames.writeRole(instanceId), OpenSearchNames.readRole(instanceId))) {
            if (admin.call("GET", "/_plugins/_security/api/roles/" + role).status() == 200) {
                left.add("role " + role);
            }
            if (admin.call("GET", "/_plugins/_security/api/rolesmapping/" + role)
                            .status()
                    == 200) {
                left.add("mapping " + role);
            }
        }
        return left;
    }

    private static List<String> indicesOf(String instanceId) {
        String rows = admin.call(
                        "GET",
                        "/_cat/indices/" + OpenSearchNames.indexPattern(instanceId) + "?h=index&expand_wildcards=all")
                .body();
        return rows.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .sorted()
                .toList();
    }

    /** Keeps the marker as document {@code marker} of the index {@code <prefix>markers}. */
    private record OpenSearchSession(TenantClient tenant, Credentials credentials) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            try {
                tenant.client()
                        .index(request -> request.index(index(credentials, MARKERS))
                                .id("marker")
                                .document(Map.of("value", marker))
                                .refresh(Refresh.True));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String readMarker() {
            return readMarkerOf(credentials);
        }

        @Override
        public String readMarkerOf(Credentials other) {
            try {
                GetResponse<Map> marker = tenant.client()
                        .get(request -> request.index(index(other, MARKERS)).id("marker"), Map.class);
                return marker.found() ? (String) marker.source().get("value") : null;
            } catch (OpenSearchException e) {
                if (e.status() == 404 && other == credentials) {
                    return null;
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            tenant.close();
        }
    }

    // --- concurrency

    /** The security plugin refuses writes that race each other (409); the provisioner sends them again. */
    @Test
    void instancesAndBindingsMadeAtOnceAllWork() {
        List<CompletableFuture<Credentials>> made = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            made.add(CompletableFuture.supplyAsync(() -> bind(provision(), newId())));
        }

        for (CompletableFuture<Credentials> credentials : made) {
            assertThat(writeThenRead(credentials.join(), "made at once")).isEqualTo("made at once");
        }
    }

    // --- isolation between instances

    @Test
    void tenantReadsWritesAndDeletesOnlyIndicesUnderItsOwnPrefix() {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        writeThenRead(theirs, "their-data");
        RestCaller me = caller(mine);
        RestCaller them = caller(theirs);
        String theirIndex = index(theirs, MARKERS);

        assertThat(me.call("PUT", "/" + index(mine, "orders"), "{}").status())
                .as("creating an index under my prefix")
                .isEqualTo(200);
        assertThat(me.call("PUT", "/" + index(mine, "orders") + "/_doc/1?refresh=true", "{\"n\": 1}")
                        .status())
                .as("indexing into it")
                .isEqualTo(201);
        assertThat(me.call("DELETE", "/" + index(mine, "orders")).status())
                .as("deleting it")
                .isEqualTo(200);

        assertDenied(me.call("GET", "/" + theirIndex + "/_doc/marker"), "GET of their document");
        assertDenied(me.call("POST", "/" + theirIndex + "/_search", "{}"), "search of their index");
        assertDenied(me.call("PUT", "/" + theirIndex + "/_doc/planted", "{\"value\": \"x\"}"), "index into theirs");
        assertDenied(me.call("POST", "/" + theirIndex + "/_delete_by_query", "{\"query\":{\"match_all\":{}}}"), "");
        assertDenied(me.call("DELETE", "/" + theirIndex + "/_doc/marker"), "DELETE of their document");
        assertDenied(me.call("DELETE", "/" + theirIndex), "DELETE of their index");
        assertDenied(me.call("PUT", "/" + theirIndex + "/_settings", "{\"index\":{\"blocks.read\":true}}"), "");
        assertDenied(me.call("PUT", "/unprefixed-index", "{}"), "creating an index outside my prefix");
        assertDenied(me.call("PUT", "/unprefixed-index/_doc/1", "{\"n\": 1}"), "auto-creating one by indexing");
        assertThat(me.call("POST", "/_bulk", "{\"index\":{\"_index\":\"" + theirIndex + "\",\"_id\":\"b\"}}\n{}\n")
                        .body())
                .as("bulk into their index")
                .contains("\"status\":403");
        assertDenied(
                me.call(
                        "POST",
                        "/_reindex",
                        "{\"source\":{\"index\":\"" + theirIndex + "\"},\"dest\":{\"index\":\"" + index(mine, "copy")
                                + "\"}}"),
                "reindexing their index into mine");

        assertThat(them.call("GET", "/" + theirIndex + "/_doc/marker").body())
                .as("their document afterwards")
                .contains("their-data");
        assertThat(admin.call("GET", "/unprefixed-index").status()).isEqualTo(404);
    }

    /** Read APIs that list, count or search indices across the cluster, as a tenant may try them. */
    private static final List<String> CLUSTER_WIDE_READS = List.of(
            "/_cat/indices",
            "/_cat/indices?expand_wildcards=all",
            "/_cat/aliases",
            "/_cat/shards",
            "/_cat/count",
            "/_cat/segments",
            "/_all/_search",
            "/*/_search",
            "/_search",
            "/_search?q=their-data",
            "/pb-*/_search",
            "/_all/_count",
            "/_all",
            "/*",
            "/_alias",
            "/_aliases",
            "/_mapping",
            "/_settings",
            "/_stats",
            "/_segments",
            "/_resolve/index/*",
            "/_data_stream",
            "/_cluster/state",
            "/_cluster/health?level=indices",
            "/_cluster/stats",
            "/_nodes/stats",
            "/_nodes",
            "/_tasks",
            "/_field_caps?fields=*&index=*",
            "/.opendistro_security/_search",
            "/_plugins/_security/api/internalusers",
            "/_plugins/_security/api/roles");

    @Test
    void tenantSeesNoOtherTenantsIndexNamesOrDataThroughClusterWideReads() {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        writeThenRead(mine, "my-data");
        writeThenRead(theirs, "their-data");
        RestCaller me = caller(mine);

        SoftAssertions softly = new SoftAssertions();
        for (String path : CLUSTER_WIDE_READS) {
            RestCaller.Answer answer = me.call("GET", path);
            if (answer.ok()) {
                softly.assertThat(answer.body())
                        .as("an answer to " + path)
                        .doesNotContain(prefix(theirs))
                        .doesNotContain("their-data")
                        .doesNotContain(".opendistro_security");
            } else {
                softly.assertThat(answer.status()).as(path + ": " + answer).isIn(403, 401);
            }
        }
        softly.assertAll();
    }

    @Test
    void tenantCannotChangeClusterSettingsTemplatesOrTheSecurityConfiguration() {
        RestCaller me = caller(bind(provision(), newId()));

        assertDenied(me.call("PUT", "/_cluster/settings", "{\"persistent\":{\"action.auto_create_index\":false}}"), "");
        assertDenied(
                me.call(
                        "PUT",
                        "/_index_template/everything",
                        "{\"index_patterns\":[\"*\"],\"template\":{\"settings\":{}}}"),
                "");
        assertDenied(me.call("PUT", "/_template/everything", "{\"index_patterns\":[\"*\"],\"settings\":{}}"), "");
        assertDenied(
                me.call("PUT", "/_plugins/_security/api/internalusers/intruder", "{\"password\":\"Xy-9876543210abc\"}"),
                "");
        assertDenied(me.call("PUT", "/_plugins/_security/api/roles/intruder", "{}"), "");
        assertDenied(me.call("DELETE", "/_all"), "");
        assertDenied(me.call("PUT", "/_snapshot/x", "{\"type\":\"fs\",\"settings\":{\"location\":\"/tmp\"}}"), "");
        assertDenied(me.call("POST", "/_cluster/reroute", "{}"), "");
        assertThat(admin.call("GET", "/_cluster/settings").body()).doesNotContain("auto_create_index");
        assertThat(admin.call("GET", "/_template/everything").status()).isEqualTo(404);
        assertThat(admin.call("GET", "/_plugins/_security/api/internalusers/intruder")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void tenantUsesTheDataApisOnItsOwnIndices() throws IOException {
        String instance = provision();
        Credentials mine = bind(instance, newId());
        RestCaller me = caller(mine);
        String orders = index(mine, "orders");

        assertThat(me.call("GET", "/").status()).as("GET /").isEqualTo(200);
        assertThat(me.call("PUT", "/" + orders, "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"integer\"}}}}")
                        .status())
                .isEqualTo(200);
        assertThat(me.call(
                                "POST",
                                "/_bulk?refresh=true",
                                "{\"index\":{\"_index\":\"" + orders + "\",\"_id\":\"1\"}}\n{\"n\":1}\n"
                                        + "{\"index\":{\"_index\":\"" + orders + "\",\"_id\":\"2\"}}\n{\"n\":2}\n")
                        .body())
                .contains("\"errors\":false");
        assertThat(me.call("POST", "/_mget", "{\"docs\":[{\"_index\":\"" + orders + "\",\"_id\":\"1\"}]}")
                        .body())
                .contains("\"found\":true");
        assertThat(me.call("POST", "/_msearch", "{\"index\":\"" + orders + "\"}\n{\"query\":{\"match_all\":{}}}\n")
                        .body())
                .contains("\"status\":200");
        assertThat(me.call("POST", "/" + prefix(mine) + "*/_search?scroll=1m&size=1", "{}")
                        .status())
                .as("a scrolled search over my pattern")
                .isEqualTo(200);
        assertThat(me.call("PUT", "/" + orders + "/_alias/" + index(mine, "current"))
                        .status())
                .as("an alias under my prefix")
                .isEqualTo(200);
        assertThat(me.call("GET", "/" + prefix(mine) + "*").body())
                .as("listing my own indices")
                .contains(orders);
        assertThat(me.call(
                                "POST",
                                "/_reindex?refresh=true",
                                "{\"source\":{\"index\":\"" + orders + "\"},\"dest\":{\"index\":\""
                                        + index(mine, "orders-v2") + "\"}}")
                        .status())
                .as("reindex within my prefix")
                .isEqualTo(200);
        try (TenantClient client = TenantClient.connect(mine)) {
            assertThat(client.client()
                            .count(c -> c.index(index(mine, "orders-v2")))
                            .count())
                    .isEqualTo(2);
        }
    }

    // --- bindings

    @Test
    void readOnlyBindingSearchesButNeitherIndexesNorDeletes() {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));
        writeThenRead(writer, "written-by-the-writer");
        RestCaller r = caller(reader);
        String markers = index(writer, MARKERS);

        assertThat(read(reader)).isEqualTo("written-by-the-writer");
        assertThat(r.call("POST", "/" + markers + "/_search", "{\"query\":{\"match_all\":{}}}")
                        .body())
                .contains("written-by-the-writer");

        assertDenied(r.call("PUT", "/" + markers + "/_doc/marker", "{\"value\":\"overwritten\"}"), "index");
        assertDenied(r.call("DELETE", "/" + markers + "/_doc/marker"), "delete a document");
        assertDenied(r.call("POST", "/" + markers + "/_delete_by_query", "{\"query\":{\"match_all\":{}}}"), "");
        assertDenied(r.call("DELETE", "/" + markers), "delete the index");
        assertDenied(r.call("PUT", "/" + index(writer, "new"), "{}"), "create an index");
        assertDenied(r.call("PUT", "/" + markers + "/_mapping", "{\"properties\":{\"x\":{\"type\":\"keyword\"}}}"), "");
        assertThat(read(writer)).isEqualTo("written-by-the-writer");
    }

    @Test
    void unboundCredentialsStopWorkingAtOnceOnAnOpenClientWhileOtherBindingsKeepWorking() throws IOException {
        String instance = provision();
        String unbound = newId();
        Credentials revoked = bind(instance, unbound);
        Credentials kept = bind(instance, newId());
        writeThenRead(kept, "before-the-unbind");

        try (TenantClient open = TenantClient.connect(revoked)) {
            assertThat(open.client().info().version().number()).startsWith("2.19");

            unbind(instance, unbound);

            assertThatThrownBy(() -> open.client().info(), "the open client's next request after unbind");
        }
        assertThat(caller(revoked).call("GET", "/").status()).isEqualTo(401);
        assertThat(writeThenRead(kept, "after-the-other-unbind")).isEqualTo("after-the-other-unbind");
    }

    @Test
    void credentialsCarryTheConventionalFields() {
        String instance = provision();

        Credentials credentials = bind(instance, newId());

        Map<String, Object> values = credentials.values();
        assertThat(values.keySet()) // the names alone: a failure must not print the password
                .containsExactlyInAnyOrder(
                        "type",
                        "provider",
                        "uri",
                        "uris",
                        "host",
                        "hostname",
                        "port",
                        "username",
                        "password",
                        "index_prefix",
                        "read_only");
        assertThat(values)
                .containsEntry("type", "elasticsearch")
                .containsEntry("uris", "http://" + node.host() + ":" + node.port())
                .containsEntry("hostname", node.host())
                .containsEntry("port", node.port())
                .containsEntry("index_prefix", OpenSearchNames.indexPrefix(instance));
        URI uri = URI.create((String) values.get("uri"));
        assertThat(uri.getScheme()).isEqualTo("http");
        assertThat(uri.getUserInfo()).isEqualTo(values.get("username") + ":" + values.get("password"));
        assertThat(uri.getHost() + ":" + uri.getPort()).isEqualTo(node.host() + ":" + node.port());
        assertThat((String) values.get("password"))
                .hasSizeGreaterThanOrEqualTo(32)
                .containsPattern("[A-Z]")
                .containsPattern("[a-z]")
                .containsPattern("[0-9]")
                .containsPattern("[-._~]");
    }

    @Test
    void bindingAgainReplacesThePasswordSoOnlyTheNewOneWorks() {
        String instance = provision();
        String binding = newId();
        Credentials first = bind(instance, binding);
        writeThenRead(first, "with-the-first-password");

        Credentials second = bind(instance, binding);

        assertThat(read(second)).isEqualTo("with-the-first-password");
        assertThat(caller(first).call("GET", "/").status()).isEqualTo(401);
    }

    // --- deprovision

    @Test
    void deprovisionRemovesEveryIndexRoleAndUserOfTheInstanceAndKeepsAnotherInstances() {
        String doomed = provision();
        String kept = provision();
        Credentials doomedBinding = bind(doomed, newId());
        bind(doomed, newId(), Map.of("read_only", true));
        Credentials keptBinding = bind(kept, newId());
        RestCaller tenant = caller(doomedBinding);
        writeThenRead(doomedBinding, "data-to-remove");
        tenant.call("PUT", "/" + index(doomedBinding, "closed"), "{}");
        tenant.call("POST", "/" + index(doomedBinding, "closed") + "/_close");
        tenant.call("PUT", "/" + index(doomedBinding, "hidden"), "{\"settings\":{\"index.hidden\":true}}");
        writeThenRead(keptBinding, "kept-data");
        assertThat(indicesOf(doomed)).hasSize(3);
        List<String> keptResources = resourcesLeftFor(kept);

        deprovision(doomed);

        assertThat(indicesOf(doomed)).isEmpty();
        assertThat(resourcesLeftFor(doomed)).isEmpty();
        assertThat(caller(doomedBinding).call("GET", "/").status()).isEqualTo(401);
        assertThat(resourcesLeftFor(kept)).containsExactlyInAnyOrderElementsOf(keptResources);
        assertThat(read(keptBinding)).isEqualTo("kept-data");
    }

    @Test
    void deprovisionCompletesWhatAnInterruptedRunLeft() {
        String instance = provision();
        Credentials binding = bind(instance, newId());
        writeThenRead(binding, "left-behind");
        // as if a first run had stopped after deleting the users and one role
        admin.call(
                "DELETE",
                "/_plugins/_security/api/internalusers/" + binding.values().get("username"));
        admin.call("DELETE", "/_plugins/_security/api/roles/" + OpenSearchNames.readRole(instance));

        deprovision(instance);

        assertThat(indicesOf(instance)).isEmpty();
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    /** A wildcard matches aliases too: one under this instance's prefix must not drag another's index in. */
    @Test
    void anAliasUnderAnInstancesPrefixOnAnotherInstancesIndexIsNeitherBackedUpNorDeletedWithIt() {
        String mine = provision();
        Credentials theirs = bind(provision(), newId());
        writeThenRead(theirs, "their-data");
        String borrowed = OpenSearchNames.indexPrefix(mine) + "borrowed";
        assertThat(admin.call(
                                "POST",
                                "/_aliases",
                                "{\"actions\":[{\"add\":{\"index\":\"" + index(theirs, MARKERS) + "\",\"alias\":\""
                                        + borrowed + "\"}}]}")
                        .status())
                .isEqualTo(200);

        byte[] backup = backup(mine);
        deprovision(mine);

        assertThat(new String(backup, StandardCharsets.UTF_8)).doesNotContain("their-data");
        assertThat(read(theirs)).isEqualTo("their-data");
    }

    // --- update

    @Test
    void updateKeepsThePrefix() {
        String instance = provision();
        InstanceRequest current = request(instance);

        StepOutcome.Completed updated =
                (StepOutcome.Completed) provisioner.update(new UpdateRequest(current, current.plan(), Map.of()));

        assertThat(updated.outputs()).containsEntry("index_prefix", OpenSearchNames.indexPrefix(instance));
    }

    // --- the servers

    @Test
    void aWrongAdminPasswordFailsTheStepWithoutShowingAPassword() {
        OpenSearchServer wrong = new OpenSearchServer(
                "wrong",
                node.scheme(),
                node.host(),
                node.port(),
                node.adminUsername(),
                "Not-the-password-1234567890",
                null,
                null,
                0,
                null);

        try (LocalOpenSearchProvisioner refused = new LocalOpenSearchProvisioner(List.of(wrong))) {
            assertThatThrownBy(() -> refused.provision(
                            new InstanceRequest(newId(), plan(Map.of("server", "wrong")), null, null, null)))
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("OpenSearch server 'wrong'")
                    .hasMessageContaining("HTTP 401")
                    .hasMessageNotContaining("Not-the-password-1234567890");
        }
    }

    @Test
    void healthGivesEachServersVersionAndReportsAServerThatIsDown() throws IOException {
        OpenSearchServer down = unreachable("down", adminPassword());
        try (LocalOpenSearchProvisioner watching = new LocalOpenSearchProvisioner(List.of(server("shared"), down))) {

            Health health = watching.health();

            assertThat(health.resourcesUp()).containsOnlyKeys("shared");
            assertThat(health.resourcesUp().get("shared")).isEqualTo("OpenSearch " + OpenSearchNode.OPENSEARCH_VERSION);
            assertThat(health.problemsByResource()).containsOnlyKeys("down");
            assertThat(health.problemsByResource().get("down"))
                    .contains("OpenSearch server 'down'")
                    .doesNotContain(down.adminPassword());
        }
    }

    // --- backups

    private static final String ORDERS_DEFINITION = """
            {"settings": {"analysis": {"analyzer": {"folded": {
               "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}}}},
             "mappings": {"properties": {
               "sku": {"type": "keyword"}, "placed": {"type": "date"},
               "name": {"type": "text", "analyzer": "folded"}, "price": {"type": "scaled_float", "scaling_factor": 100}}}}
            """;

    /** More than a page of a backup's scroll and a restore's bulk request. */
    private static final int EVENTS = 1_200;

    @Test
    void backupRestoredIntoANewInstanceHoldsTheIndicesOfBackupTimeWithTheirMappingsAndAnalysis() throws IOException {
        String original = provision();
        Credentials writer = bind(original, newId());
        writeShop(writer);
        Map<String, JsonNode> atBackup = contentsOf(original);
        byte[] backup = backup(original);
        RestCaller tenant = caller(writer);
        tenant.call("PUT", "/" + index(writer, "orders") + "/_doc/1", "{\"sku\": \"changed\"}");
        tenant.call("DELETE", "/" + index(writer, "orders") + "/_doc/2");
        tenant.call("DELETE", "/" + index(writer, "events"));
        tenant.call("PUT", "/" + index(writer, "after-the-backup") + "/_doc/1?refresh=true", "{\"n\": 1}");

        String copy = provision();
        restore(copy, backup);

        assertThat(atBackup).containsOnlyKeys("orders", "events");
        assertThat(contentsOf(copy)).isEqualTo(atBackup);
        RestCaller restored = caller(bind(copy, newId()));
        String orders = OpenSearchNames.indexPrefix(copy) + "orders";
        assertThat(restored.call("POST", "/" + orders + "/_search", "{\"query\": {\"match\": {\"name\": \"cafe\"}}}")
                        .body())
                .as("a search through the restored analyzer")
                .contains("\"_id\":\"1\"");
        assertThat(restored.call(
                                "POST",
                                "/" + orders + "/_search",
                                "{\"query\": {\"range\": {\"placed\": {\"gte\": \"2024-05-02\"}}}}")
                        .body())
                .as("a range over the restored date field")
                .contains("\"_id\":\"2\"")
                .doesNotContain("\"_id\":\"1\"");
        assertThat(restored.call("GET", "/" + orders + "/_doc/1").body())
                .as("the source as it was written")
                .contains("\"price\":3.10");
        assertThat(restored.call("PUT", "/" + orders + "/_doc/4?refresh=true", "{\"sku\": \"D-4\"}")
                        .status())
                .as("writing into the restored index")
                .isEqualTo(201);
    }

    @Test
    void closedHiddenAliasedAndWriteBlockedIndicesComeBackAsTheyWere() throws IOException {
        String original = provision();
        Credentials writer = bind(original, newId());
        RestCaller tenant = caller(writer);
        tenant.call("PUT", "/" + index(writer, "archive") + "/_doc/1?refresh=true", "{\"year\": 2019}");
        tenant.call("POST", "/" + index(writer, "archive") + "/_close");
        tenant.call("PUT", "/" + index(writer, "hidden"), "{\"settings\": {\"index.hidden\": true}}");
        tenant.call("PUT", "/" + index(writer, "hidden") + "/_doc/1?refresh=true", "{\"secret\": false}");
        tenant.call("PUT", "/" + index(writer, "hidden") + "/_alias/" + index(writer, "current"));
        tenant.call("PUT", "/" + index(writer, "frozen") + "/_doc/1?refresh=true", "{\"n\": 1}");
        tenant.call("PUT", "/" + index(writer, "frozen") + "/_settings", "{\"index.blocks.write\": true}");
        Map<String, JsonNode> before = contentsOf(original);

        byte[] backup = backup(original);
        String copy = provision();
        restore(copy, backup);

        assertThat(contentsOf(original)).as("the original after its backup").isEqualTo(before);
        assertThat(contentsOf(copy)).isEqualTo(before);
        assertThat(before.get("archive").path("status").asText()).isEqualTo("close");
        String archive = OpenSearchNames.indexPrefix(copy) + "archive";
        admin.call("POST", "/" + archive + "/_open");
        assertThat(admin.call("GET", "/" + archive + "/_doc/1").body()).contains("2019");
        assertThat(admin.call("PUT", "/" + OpenSearchNames.indexPrefix(copy) + "frozen/_doc/2", "{\"n\": 2}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void backupOfOneInstanceHoldsNothingOfAnother() throws IOException {
        Credentials neighbour = bind(provision(), newId());
        caller(neighbour)
                .call(
                        "PUT",
                        "/" + index(neighbour, "orders") + "/_doc/1?refresh=true",
                        "{\"note\": \"neighbours-secret\"}");
        String mine = provision();
        writeShop(bind(mine, newId()));

        byte[] backup = backup(mine);
        String copy = provision();
        restore(copy, backup);

        assertThat(new String(backup, StandardCharsets.UTF_8))
                .contains("Lisboa")
                .doesNotContain("neighbours-secret", prefix(neighbour), OpenSearchNames.indexPrefix(mine));
        assertThat(indicesOf(copy))
                .containsExactly(
                        OpenSearchNames.indexPrefix(copy) + "events", OpenSearchNames.indexPrefix(copy) + "orders");
    }

    @Test
    void restoringTwiceEndsAsRestoringOnce() throws IOException {
        String original = provision();
        writeShop(bind(original, newId()));
        byte[] backup = backup(original);
        String copy = provision();

        restore(copy, backup);
        // as if an earlier restore had stopped half-way, or the instance had been written to
        admin.call("PUT", "/" + OpenSearchNames.indexPrefix(copy) + "orders/_doc/left-over?refresh=true", "{}");
        restore(copy, backup);

        assertThat(contentsOf(copy)).isEqualTo(contentsOf(original));
    }

    @Test
    void aTruncatedOrCorruptedBackupFailsTheRestore() {
        String original = provision();
        writeShop(bind(original, newId()));
        byte[] backup = backup(original);
        byte[] withoutEndLine = Arrays.copyOf(backup, backup.length - "{\"end\":true}\n".length());
        String copy = provision();

        for (byte[] broken : List.of(
                withoutEndLine,
                Arrays.copyOf(backup, backup.length / 2),
                "not a backup".getBytes(StandardCharsets.UTF_8),
                "{\"format\":\"redis-keys/1\"}\n".getBytes(StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> restore(copy, broken))
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("restoring the instance's indices failed")
                    .hasMessageContaining("not whole or not of this format")
                    .hasMessageNotContaining(node.adminPassword());
        }
    }

    /** Two indices written through a binding: orders with a custom analyzer and mapping, and many events. */
    private static void writeShop(Credentials writer) {
        RestCaller tenant = caller(writer);
        String orders = index(writer, "orders");
        assertThat(tenant.call("PUT", "/" + orders, ORDERS_DEFINITION).status()).isEqualTo(200);
        tenant.call(
                "PUT",
                "/" + orders + "/_doc/1",
                "{\"sku\": \"A-1\", \"name\": \"Café Lisboa\", \"placed\": \"2024-05-01T10:00:00Z\", \"price\": 3.10}");
        tenant.call(
                "PUT",
                "/" + orders + "/_doc/2",
                "{\"sku\": \"B-2\", \"name\": \"Bakery\", \"placed\": \"2024-05-02\"}");
        tenant.call("PUT", "/" + orders + "/_doc/3?routing=north&refresh=true", "{\"sku\": \"C-3\"}");
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            events.append("{\"index\": {\"_index\": \"")
                    .append(index(writer, "events"))
                    .append("\", \"_id\": \"e")
                    .append(i)
                    .append("\"}}\n{\"n\": ")
                    .append(i)
                    .append(", \"kind\": \"click\"}\n");
        }
        assertThat(tenant.call("POST", "/_bulk?refresh=true", events.toString()).body())
                .contains("\"errors\":false");
    }

    /**
     * What a restore must bring back, per index by its name after the prefix: mappings, analysis, aliases, blocks,
     * whether hidden or closed, and, of an open index, each document's source and routing.
     */
    private static Map<String, JsonNode> contentsOf(String instanceId) throws IOException {
        String prefix = OpenSearchNames.indexPrefix(instanceId);
        String pattern = OpenSearchNames.indexPattern(instanceId);
        JsonNode definitions = JSON.readTree(
                admin.call("GET", "/" + pattern + "?expand_wildcards=all").body());
        JsonNode rows = JSON.readTree(
                admin.call("GET", "/_cat/indices/" + pattern + "?format=json&h=index,status&expand_wildcards=all")
                        .body());
        Map<String, JsonNode> contents = new TreeMap<>();
        for (JsonNode row : rows) {
            String index = row.path("index").asText();
            JsonNode definition = definitions.path(index);
            JsonNode settings = definition.path("settings").path("index");
            ObjectNode content =
                    JSON.createObjectNode().put("status", row.path("status").asText());
            content.set("mappings", definition.path("mappings"));
            content.set("analysis", settings.path("analysis"));
            content.set("blocks", settings.path("blocks"));
            content.put("hidden", settings.path("hidden").asText("false"));
            ArrayNode aliases = content.putArray("aliases");
            definition
                    .path("aliases")
                    .fieldNames()
                    .forEachRemaining(alias -> aliases.add(alias.substring(prefix.length())));
            if (row.path("status").asText().equals("open")) {
                ObjectNode documents = content.putObject("documents");
                JsonNode hits = JSON.readTree(admin.call("POST", "/" + index + "/_search", "{\"size\": 10000}")
                                .body())
                        .path("hits")
                        .path("hits");
                hits.forEach(hit -> documents.set(
                        hit.path("_id").asText(),
                        JSON.createObjectNode()
                                .put("routing", hit.path("_routing").asText(null))
                                .set("source", hit.path("_source"))));
            }
            contents.put(index.substring(prefix.length()), content);
        }
        return contents;
    }

    // --- helpers

    private static Plan plan(Map<String, Object> properties) {
        return LocalPlans.plan("plan-local-opensearch", "small", "a local OpenSearch plan", "1.0.0", properties);
    }

    private static OpenSearchServer unreachable(String name, String adminPassword) throws IOException {
        return new OpenSearchServer(
                name,
                "http",
                node.host(),
                ClosedPort.on(node.host()),
                "admin",
                adminPassword,
                null,
                null,
                0,
                Duration.ofSeconds(2));
    }

    private static RestCaller caller(Credentials credentials) {
        return new RestCaller(node.uri(), (String) credentials.values().get("username"), (String)
                credentials.values().get("password"));
    }

    private static String prefix(Credentials credentials) {
        return (String) credentials.values().get("index_prefix");
    }

    private static String index(Credentials credentials, String name) {
        return prefix(credentials) + name;
    }

    private static void assertDenied(RestCaller.Answer answer, String what) {
        assertThat(answer.status()).as(what + ": " + answer).isEqualTo(403);
    }
}
