package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.testbed.ManagedDatabaseServer;
import io.paasbroker.testbed.ServerAddresses;
import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fake of Azure Database flexible servers of one engine ({@link #postgres}: {@link FlexiblePostgres}; {@link #mysql}:
 * {@link FlexibleMysql}) with a real database server behind each, whose administrator is no superuser; each listens
 * on the engine's port at an address of its own ({@link ServerAddresses}), which Azure reports as the server's host
 * name, and lets in the clients its firewall rules admit (all, in a delegated subnet). Servers, their parameters and
 * firewall rules change through long-running operations, one at a time per server; a change while one runs is refused
 * with 409 {@code ServerBusy}, as Azure refuses it.
 */
public final class FakeFlexibleServers implements ResourceType, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private final FlexibleServerEngine engine;
    private final ArmOperations operations;
    private final TestBedCertificates certificates;
    private final Path work;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    /** Every administrator password the broker sent, by server name: no log of the broker may hold one. */
    private final Map<String, List<String>> passwordsSent = new ConcurrentHashMap<>();

    private final Map<String, Integer> creations = new ConcurrentHashMap<>();

    private FakeFlexibleServers(
            FlexibleServerEngine engine, ArmOperations operations, TestBedCertificates certificates, Path work) {
        this.engine = engine;
        this.operations = operations;
        this.certificates = certificates;
        this.work = work;
    }

    /** PostgreSQL flexible servers ({@code Microsoft.DBforPostgreSQL}), their data under {@code work}. */
    public static FakeFlexibleServers postgres(ArmOperations operations, TestBedCertificates certificates, Path work) {
        return new FakeFlexibleServers(new FlexiblePostgres(), operations, certificates, work);
    }

    /** MySQL flexible servers ({@code Microsoft.DBforMySQL}), MariaDB behind them, their data under {@code work}. */
    public static FakeFlexibleServers mysql(ArmOperations operations, TestBedCertificates certificates, Path work) {
        return new FakeFlexibleServers(new FlexibleMysql(), operations, certificates, work);
    }

    @Override
    public String type() {
        return engine.type();
    }

    /** The administrator passwords the broker sent for every server so far. */
    public List<String> passwordsSent() {
        return passwordsSent.values().stream().flatMap(List::stream).toList();
    }

    /** Whether server {@code name} is there and ready for a change. */
    public boolean ready(String name) {
        return servers.values().stream()
                .anyMatch(server -> server.name.equals(name) && server.state.equals("Ready") && !server.busy.get());
    }

    /** The servers there are now, by name. */
    public Set<String> servers() {
        return Set.copyOf(servers.values().stream().map(server -> server.name).toList());
    }

    /** How many times a server of this name was made. */
    public int creations(String name) {
        return creations.getOrDefault(name, 0);
    }

    @Override
    public ArmAnswer handle(ArmRequest request) {
        List<String> children = request.children();
        if (request.name().isEmpty() && request.method().equals("GET")) {
            return list(request);
        }
        if (request.toResource()) {
            return switch (request.method()) {
                case "GET" -> ArmAnswer.ok(existing(request).body());
                case "PUT" -> create(request);
                case "PATCH" -> change(request);
                case "DELETE" -> delete(request);
                default -> throw unsupported(request);
            };
        }
        Server server = existing(request);
        if (children.get(0).equals("configurations") && children.size() == 2) {
            return configuration(request, server, children.get(1));
        }
        if (children.get(0).equals("backups") && children.size() == 2) {
            return backup(request, server, children.get(1));
        }
        if (children.get(0).equals("firewallRules")) {
            return firewallRule(request, server, children.size() == 2 ? children.get(1) : null);
        }
        throw unsupported(request);
    }

    /** Azure's PUT creates the server, or updates the one there (refused while an operation of its runs). */
    private ArmAnswer create(ArmRequest request) {
        if (servers.containsKey(key(request))) {
            return change(request);
        }
        if (!NAME.matcher(request.name()).matches()) {
            throw new ArmError(400, "InvalidServerName", "The server name '" + request.name() + "' is invalid.");
        }
        if (servers.values().stream().anyMatch(server -> server.name.equals(request.name()))) {
            throw new ArmError(
                    409,
                    "ServerNameAlreadyExists",
                    "The server name '" + request.name() + "' is already in use: server names are global.");
        }
        JsonNode body = request.body();
        JsonNode properties = body.path("properties");
        String createMode = properties.path("createMode").asText(engine.createMode());
        if (createMode.equals("PointInTimeRestore")) {
            return restore(request, body);
        }
        if (!createMode.equals(engine.createMode())) {
            throw ArmError.invalid("createMode '" + createMode + "' is not served by the test bed");
        }
        String login = properties.path("administratorLogin").asText("");
        String password = properties.path("administratorLoginPassword").asText("");
        passwordsSent
                .computeIfAbsent(request.name(), name -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(password);
        if (login.isEmpty() || engine.reservedLogin(login)) {
            throw new ArmError(
                    400,
                    "InvalidAdministratorLogin",
                    "The administrator login '" + login + "' is reserved or missing.");
        }
        if (!complex(password)) {
            throw new ArmError(
                    400,
                    "PasswordNotComplex",
                    "The password does not meet policy requirements: 8 to 128"
                            + " characters of three of the classes upper case, lower case, digits and symbols.");
        }
        Server server = new Server(request, body);
        server.check(body);
        servers.put(key(request), server);
        creations.merge(request.name(), 1, Integer::sum);
        return bringUp(request, server, () -> server.start(login, password));
    }

    /**
     * A new server with the source server's data as it was at the moment asked, replayed from its logs by the real
     * engine: the source's administrator, password, size and parameters, the request's tags; no firewall rules.
     */
    private ArmAnswer restore(ArmRequest request, JsonNode body) {
        JsonNode properties = body.path("properties");
        String sourceId = properties.path("sourceServerResourceId").asText("");
        Server source = servers.get(sourceId.toLowerCase());
        if (source == null || !source.state.equals("Ready")) {
            throw new ArmError(404, "SourceServerNotFound", "The source server '" + sourceId + "' was not found.");
        }
        Instant time;
        try {
            time = Instant.parse(properties.path(engine.restorePointProperty()).asText(""));
        } catch (DateTimeParseException e) {
            throw ArmError.invalid(engine.restorePointProperty() + " is no ISO 8601 time");
        }
        Instant earliest = source.database.earliestRestorableTime().orElse(Instant.MAX);
        if (time.isBefore(earliest) || time.isAfter(Instant.now())) {
            throw new ArmError(
                    400,
                    "PointInTimeRestoreTimeOutOfRange",
                    "The point in time " + time + " is outside the restore window of server '" + source.name + "' ("
                            + earliest + " to now).");
        }
        Server server = new Server(request, body, source);
        servers.put(key(request), server);
        return bringUp(request, server, () -> server.restore(source, time));
    }

    /**
     * The operation that brings the new server up with {@code start} (its real database server, made or restored),
     * then reports it ready; a server whose real one does not come up is gone again.
     */
    private ArmAnswer bringUp(ArmRequest request, Server server, Runnable start) {
        server.busy.set(true);
        ArmOperations.Operation operation = operations.start(request, engine.namespace(), () -> {
            try {
                start.run();
                server.state = "Ready";
                return server.body();
            } catch (RuntimeException e) {
                servers.remove(key(request));
                server.stop();
                throw e;
            } finally {
                server.busy.set(false);
            }
        });
        return ArmAnswer.accepted(202, null, operation);
    }

    private ArmAnswer list(ArmRequest request) {
        ArrayNode value = JSON.createArrayNode();
        servers.values().stream()
                .filter(server ->
                        server.id.toLowerCase().startsWith(request.group().id().toLowerCase() + "/"))
                .sorted(Comparator.comparing(server -> server.name))
                .forEach(server -> value.add(server.body()));
        ObjectNode answer = JSON.createObjectNode();
        answer.set("value", value);
        return ArmAnswer.ok(answer);
    }

    /**
     * On-demand backups: taken in the background (the real engine's logs cover the moment it completes), listed once
     * complete, deleted with the server.
     */
    private ArmAnswer backup(ArmRequest request, Server server, String name) {
        switch (request.method()) {
            case "GET" -> {
                Instant completed = server.backups.get(name);
                if (completed == null) {
                    throw ArmError.notFound(request.resourceId() + "/backups/" + name);
                }
                return ArmAnswer.ok(server.backup(name, completed));
            }
            case "PUT" -> {
                if (server.backups.containsKey(name)) {
                    return ArmAnswer.ok(server.backup(name, server.backups.get(name)));
                }
                return server.operate(request, null, () -> {
                    Instant completed = endOfSecond();
                    server.backups.put(name, completed);
                    return server.backup(name, completed);
                });
            }
            case "DELETE" -> {
                if (!server.backups.containsKey(name)) {
                    return new ArmAnswer(204, null, Optional.empty());
                }
                return server.operate(request, null, () -> {
                    server.backups.remove(name);
                    return null;
                });
            }
            default -> throw unsupported(request);
        }
    }

    /**
     * The last moment of the current second, once the second is over: MariaDB's binary log, which the fake restores
     * MySQL servers from, knows whole seconds only, so a backup's moment must share its second with no later change.
     */
    private static Instant endOfSecond() {
        Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        try {
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), next).toMillis() + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking a backup", e);
        }
        return next.minusMillis(1);
    }

    private ArmAnswer change(ArmRequest request) {
        Server server = existing(request);
        JsonNode body = request.body();
        server.check(body);
        return server.operate(request, "Updating", () -> {
            server.apply(body);
            return server.body();
        });
    }

    private ArmAnswer delete(ArmRequest request) {
        Server server = servers.get(key(request));
        if (server == null) {
            return new ArmAnswer(204, null, Optional.empty());
        }
        return server.operate(request, "Dropping", () -> {
            servers.remove(key(request));
            server.stop();
            return null;
        });
    }

    private ArmAnswer configuration(ArmRequest request, Server server, String name) {
        if (!server.configurations.containsKey(name)) {
            throw new ArmError(404, "ConfigurationNotExists", "The configuration '" + name + "' does not exist.");
        }
        if (request.method().equals("GET")) {
            return ArmAnswer.ok(server.configuration(name));
        }
        if (!request.method().equals("PUT") && !request.method().equals("PATCH")) {
            throw unsupported(request);
        }
        String value = request.body().path("properties").path("value").asText(null);
        if (value == null) {
            throw ArmError.invalid("properties.value is required");
        }
        engine.checkParameter(name, value);
        return server.operate(request, null, () -> {
            server.configure(name, value);
            return server.configuration(name);
        });
    }

    private ArmAnswer firewallRule(ArmRequest request, Server server, String name) {
        if (name == null) {
            if (!request.method().equals("GET")) {
                throw unsupported(request);
            }
            ArrayNode rules = JSON.createArrayNode();
            server.rules.keySet().stream().sorted().forEach(rule -> rules.add(server.rule(rule)));
            ObjectNode answer = JSON.createObjectNode();
            answer.set("value", rules);
            return ArmAnswer.ok(answer);
        }
        switch (request.method()) {
            case "GET" -> {
                if (!server.rules.containsKey(name)) {
                    throw ArmError.notFound(request.resourceId() + "/firewallRules/" + name);
                }
                return ArmAnswer.ok(server.rule(name));
            }
            case "PUT" -> {
                String start =
                        request.body().path("properties").path("startIpAddress").asText("");
                String end =
                        request.body().path("properties").path("endIpAddress").asText("");
                long from = ipv4(start);
                long to = ipv4(end);
                if (from > to) {
                    throw ArmError.invalid("startIpAddress " + start + " is after endIpAddress " + end);
                }
                return server.operate(request, null, () -> {
                    server.rules.put(name, new long[] {from, to});
                    return server.rule(name);
                });
            }
            case "DELETE" -> {
                if (!server.rules.containsKey(name)) {
                    return new ArmAnswer(204, null, Optional.empty());
                }
                return server.operate(request, null, () -> {
                    server.rules.remove(name);
                    return null;
                });
            }
            default -> throw unsupported(request);
        }
    }

    private Server existing(ArmRequest request) {
        Server server = servers.get(key(request));
        if (server == null) {
            throw ArmError.notFound(request.resourceId());
        }
        return server;
    }

    private static String key(ArmRequest request) {
        return request.resourceId().toLowerCase();
    }

    private static ArmError unsupported(ArmRequest request) {
        return new ArmError(405, "MethodNotAllowed", request.method() + " of " + request.children() + " is not served");
    }

    private static boolean complex(String password) {
        if (password.length() < 8 || password.length() > 128) {
            return false;
        }
        long classes = Stream.of(
                        password.chars().anyMatch(Character::isUpperCase),
                        password.chars().anyMatch(Character::isLowerCase),
                        password.chars().anyMatch(Character::isDigit),
                        password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)))
                .filter(Boolean::booleanValue)
                .count();
        return classes >= 3;
    }

    private static long ipv4(String address) {
        if (!address.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
            throw ArmError.invalid("'" + address + "' is no IPv4 address");
        }
        long value = 0;
        for (String part : address.split("\\.")) {
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw ArmError.invalid("'" + address + "' is no IPv4 address");
            }
            value = value * 256 + octet;
        }
        return value;
    }

    /** One server: what Azure reports of it, and the real database server behind it once made. */
    private final class Server {

        private final String id;
        private final String name;
        private final String location;
        private final Path directory;
        private final AtomicBoolean busy = new AtomicBoolean();
        private final Map<String, String> configurations = new ConcurrentHashMap<>(engine.parameters());
        private final Map<String, long[]> rules = new ConcurrentHashMap<>();
        private final Map<String, Instant> backups = new ConcurrentHashMap<>();
        private volatile ObjectNode tags;
        private volatile ObjectNode sku;
        private final String version;
        private volatile ObjectNode storage;
        private volatile int backupRetentionDays;
        private final String geoRedundantBackup;
        private volatile String highAvailability;
        private final ObjectNode network;
        private volatile String state = "Provisioning";
        private volatile String administratorLogin = "";
        private volatile ManagedDatabaseServer database;
        private volatile ServerAddresses.Passage passage;

        Server(ArmRequest request, JsonNode body) {
            this.id = request.resourceId();
            this.name = request.name();
            this.location = body.path("location").asText();
            this.directory = work.resolve("flexible-servers").resolve(name);
            JsonNode properties = body.path("properties");
            this.tags = body.path("tags").isObject()
                    ? (ObjectNode) body.path("tags").deepCopy()
                    : JSON.createObjectNode();
            this.sku = (ObjectNode) body.path("sku").deepCopy();
            this.version = properties.path("version").asText("16");
            this.storage = properties.path("storage").isObject()
                    ? (ObjectNode) properties.path("storage").deepCopy()
                    : JSON.createObjectNode().put("storageSizeGB", 32);
            this.backupRetentionDays =
                    properties.path("backup").path("backupRetentionDays").asInt(7);
            this.geoRedundantBackup =
                    properties.path("backup").path("geoRedundantBackup").asText("Disabled");
            this.highAvailability =
                    properties.path("highAvailability").path("mode").asText("Disabled");
            this.network = properties.path("network").isObject()
                    ? (ObjectNode) properties.path("network").deepCopy()
                    : JSON.createObjectNode().put("publicNetworkAccess", "Enabled");
        }

        /** A server restored from {@code source}: its size, version, storage, backups and network. */
        Server(ArmRequest request, JsonNode body, Server source) {
            this.id = request.resourceId();
            this.name = request.name();
            this.location = body.path("location").asText();
            this.directory = work.resolve("flexible-servers").resolve(name);
            this.tags = body.path("tags").isObject()
                    ? (ObjectNode) body.path("tags").deepCopy()
                    : JSON.createObjectNode();
            this.sku = source.sku.deepCopy();
            this.version = source.version;
            this.storage = source.storage.deepCopy();
            this.backupRetentionDays = source.backupRetentionDays;
            this.geoRedundantBackup = source.geoRedundantBackup;
            this.highAvailability = "Disabled";
            this.network = source.network.deepCopy();
        }

        /** Refuses what Azure refuses of a server's size, storage, backups and availability. */
        void check(JsonNode body) {
            JsonNode properties = body.path("properties");
            String tier = body.path("sku").path("tier").asText(sku.path("tier").asText());
            String skuName =
                    body.path("sku").path("name").asText(sku.path("name").asText());
            if (tier.equals("Burstable") != skuName.startsWith("Standard_B")) {
                throw ArmError.invalid("The SKU '" + skuName + "' is not of tier '" + tier + "'.");
            }
            JsonNode size = properties.path("storage").path("storageSizeGB");
            if (!size.isMissingNode()) {
                if (!engine.offersStorage(size.asInt())) {
                    throw ArmError.invalid("storageSizeGB " + size + " is not a size Azure offers");
                }
                if (size.asInt() < storage.path("storageSizeGB").asInt()) {
                    throw new ArmError(400, "StorageSizeCannotBeDecreased", "The storage size cannot be decreased.");
                }
            }
            JsonNode retention = properties.path("backup").path("backupRetentionDays");
            if (!retention.isMissingNode() && (retention.asInt() < 7 || retention.asInt() > 35)) {
                throw ArmError.invalid("backupRetentionDays must be 7 to 35");
            }
            String mode = properties.path("highAvailability").path("mode").asText(highAvailability);
            if (!mode.equals("Disabled") && tier.equals("Burstable")) {
                throw new ArmError(
                        400,
                        "HANotSupportedForBurstable",
                        "High availability is not supported for the Burstable tier.");
            }
        }

        void start(String login, String password) {
            try {
                Files.createDirectories(directory.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            administratorLogin = login;
            database = engine.start(directory, certificates, login, password);
            passage = ServerAddresses.open(engine.port(), database.port(), this::admitted);
        }

        void restore(Server source, Instant time) {
            try {
                Files.createDirectories(directory.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            administratorLogin = source.administratorLogin;
            database = source.database.restoredAt(time, directory, true);
            source.configurations.forEach(this::configure);
            passage = ServerAddresses.open(engine.port(), database.port(), this::admitted);
        }

        /**
         * Whether the firewall lets {@code client} in: every client in a delegated subnet, else the rules' own. The
         * rule from 0.0.0.0 to 0.0.0.0 is Azure's for clients inside Azure: here, on loopback.
         */
        private boolean admitted(InetAddress client) {
            if (network.has("delegatedSubnetResourceId")) {
                return true;
            }
            long address = ipv4(client.getHostAddress());
            return rules.values().stream()
                    .anyMatch(range -> (address >= range[0] && address <= range[1])
                            || (range[0] == 0 && range[1] == 0 && client.isLoopbackAddress()));
        }

        void apply(JsonNode body) {
            if (body.path("tags").isObject()) {
                tags = (ObjectNode) body.path("tags").deepCopy();
            }
            if (body.path("sku").isObject()) {
                sku = (ObjectNode) body.path("sku").deepCopy();
            }
            JsonNode properties = body.path("properties");
            if (properties.has("administratorLoginPassword")) {
                String password = properties.path("administratorLoginPassword").asText();
                passwordsSent
                        .computeIfAbsent(name, server -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(password);
                if (!complex(password)) {
                    throw new ArmError(400, "PasswordNotComplex", "The password does not meet policy requirements.");
                }
                database.changeAdministratorPassword(administratorLogin, password);
            }
            if (properties.path("storage").isObject()) {
                storage.setAll((ObjectNode) properties.path("storage").deepCopy());
            }
            if (properties.path("backup").has("backupRetentionDays")) {
                backupRetentionDays =
                        properties.path("backup").path("backupRetentionDays").asInt();
            }
            if (properties.path("highAvailability").has("mode")) {
                highAvailability =
                        properties.path("highAvailability").path("mode").asText();
            }
        }

        void configure(String name, String value) {
            engine.apply(database, name, value);
            configurations.put(name, value);
        }

        /** Runs {@code task} as the server's one operation, its state {@code during} meanwhile (null: unchanged). */
        ArmAnswer operate(ArmRequest request, String during, Supplier<JsonNode> task) {
            if (!state.equals("Ready") || !busy.compareAndSet(false, true)) {
                throw ArmError.busy(name);
            }
            if (during != null) {
                state = during;
            }
            ArmOperations.Operation operation = operations.start(request, engine.namespace(), () -> {
                try {
                    JsonNode result = task.get();
                    if (during != null && !during.equals("Dropping")) {
                        state = "Ready";
                    }
                    return result;
                } finally {
                    busy.set(false);
                }
            });
            return ArmAnswer.accepted(202, null, operation);
        }

        void stop() {
            if (passage != null) {
                passage.close();
            }
            if (database != null) {
                database.close();
            }
        }

        ObjectNode body() {
            ObjectNode body = JSON.createObjectNode()
                    .put("id", id)
                    .put("name", name)
                    .put("type", engine.type())
                    .put("location", location);
            body.set("tags", tags.deepCopy());
            body.set("sku", sku.deepCopy());
            ObjectNode properties = body.putObject("properties");
            properties.put("administratorLogin", administratorLogin);
            properties.put("version", version);
            properties.put("state", state);
            if (passage != null) {
                properties.put("fullyQualifiedDomainName", passage.address());
            }
            properties.set("storage", storage.deepCopy());
            ObjectNode backup = properties
                    .putObject("backup")
                    .put("backupRetentionDays", backupRetentionDays)
                    .put("geoRedundantBackup", geoRedundantBackup);
            if (database != null) {
                database.earliestRestorableTime()
                        .ifPresent(earliest -> backup.put("earliestRestoreDate", earliest.toString()));
            }
            properties
                    .putObject("highAvailability")
                    .put("mode", highAvailability)
                    .put("state", highAvailability.equals("Disabled") ? "NotEnabled" : "Healthy");
            properties.set("network", network.deepCopy());
            return body;
        }

        ObjectNode configuration(String name) {
            ObjectNode body = JSON.createObjectNode()
                    .put("id", id + "/configurations/" + name)
                    .put("name", name)
                    .put("type", engine.type() + "/configurations");
            body.putObject("properties").put("value", configurations.get(name)).put("source", "user-override");
            return body;
        }

        ObjectNode backup(String backup, Instant completed) {
            ObjectNode body = JSON.createObjectNode()
                    .put("id", id + "/backups/" + backup)
                    .put("name", backup)
                    .put("type", engine.type() + "/backups");
            body.putObject("properties")
                    .put("backupType", "Customer On-Demand")
                    .put("completedTime", completed.toString())
                    .put("source", "Automatic");
            return body;
        }

        ObjectNode rule(String rule) {
            long[] range = rules.get(rule);
            ObjectNode body = JSON.createObjectNode()
                    .put("id", id + "/firewallRules/" + rule)
                    .put("name", rule)
                    .put("type", engine.type() + "/firewallRules");
            body.putObject("properties").put("startIpAddress", text(range[0])).put("endIpAddress", text(range[1]));
            return body;
        }
    }

    private static String text(long address) {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    /** Stops every server's real database server. */
    @Override
    public void close() {
        servers.values().forEach(Server::stop);
        servers.clear();
    }

    /** What each server's tags are, by server name: how tests see what the broker tagged. */
    public Map<String, JsonNode> tags() {
        Map<String, JsonNode> tags = new TreeMap<>();
        servers.values().forEach(server -> tags.put(server.name, server.tags.deepCopy()));
        return tags;
    }
}
