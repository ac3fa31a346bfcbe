package io.paasbroker.provisioner.testcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cloud for tests, over HTTP on a loopback port: databases that take {@code step} to create, change and delete, keys
 * that work only {@code keyActivation} after they are made, and a failure on request. Its state is in this process, so
 * it outlives the brokers a test kills. It counts what it really created and deleted, so a test can tell a step that
 * ran twice from one that adopted what the first run made.
 *
 * <p>API (JSON): {@code PUT /databases/{name}} {@code {"size", "fail_while_creating"}} creates (201) or finds (200);
 * {@code GET} reads ({@code state}: creating, available, modifying, deleting, failed); {@code PATCH} {@code {"size"}}
 * or {@code {"master_password"}}; {@code DELETE}. With the header {@code X-Master-Password}: {@code PUT, GET, DELETE
 * /databases/{name}/keys/{key}} ({@code {"secret"}}). With a key (basic auth): {@code PUT, GET
 * /databases/{name}/data}, the application's data. Snapshots: {@code PUT /databases/{name}/snapshots/{snapshot}} takes
 * one of an available database's data (a step), {@code GET, DELETE /snapshots/{snapshot}}; a database created with
 * {@code {"from_snapshot"}} starts with the snapshot's data, one created with {@code {"from_database", "at"}} with that
 * database's data as it was at that time.
 */
public final class TestCloud implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Clock clock;
    private final Duration step;
    private final Duration keyActivation;
    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> creations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deletions = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    private TestCloud(HttpServer server, Clock clock, Duration step, Duration keyActivation) {
        this.server = server;
        this.clock = clock;
        this.step = step;
        this.keyActivation = keyActivation;
    }

    public static TestCloud start(Duration step, Duration keyActivation) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            TestCloud cloud = new TestCloud(server, Clock.systemUTC(), step, keyActivation);
            server.createContext("/databases/", cloud::handle);
            server.createContext("/snapshots/", cloud::handleSnapshot);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
            return cloud;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test cloud", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many times the database {@code name} was really created (not found again). */
    public int creations(String name) {
        return creations.getOrDefault(name, new AtomicInteger()).get();
    }

    /** How many times the database {@code name} was really deleted. */
    public int deletions(String name) {
        return deletions.getOrDefault(name, new AtomicInteger()).get();
    }

    /** The snapshots that exist now, in any state but deleted. */
    public List<String> snapshots() {
        Instant now = clock.instant();
        return snapshots.values().stream()
                .filter(snapshot -> !snapshot.gone(now))
                .map(snapshot -> snapshot.name)
                .toList();
    }

    /** The databases that exist now, in any state but deleted, and their keys: what a test finds left over. */
    public List<String> resources() {
        Instant now = clock.instant();
        return databases.values().stream()
                .filter(database -> database.state(now) != State.GONE)
                .flatMap(database -> {
                    List<String> names = new java.util.ArrayList<>();
                    names.add(database.name);
                    database.keys.keySet().forEach(key -> names.add(database.name + "/keys/" + key));
                    return names.stream();
                })
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    enum State {
        CREATING,
        AVAILABLE,
        MODIFYING,
        DELETING,
        FAILED,
        GONE
    }

    /** One database; its state follows from when its last change began, read at each request. */
    private final class Database {
        private final String name;
        private final boolean failWhileCreating;
        private String size;
        private String masterPassword;
        private State changing = State.CREATING;
        private Instant changeBegan;
        private String data;
        /** Every value the data had and when it was written: what a restore to a point in time reads. */
        private final List<Map.Entry<Instant, String>> history = new java.util.concurrent.CopyOnWriteArrayList<>();

        private final Map<String, Key> keys = new ConcurrentHashMap<>();

        Database(String name, String size, boolean failWhileCreating, String data, Instant now) {
            this.name = name;
            this.size = size;
            this.failWhileCreating = failWhileCreating;
            this.changeBegan = now;
            write(data, now);
        }

        void write(String value, Instant now) {
            data = value;
            history.add(Map.entry(now, value == null ? "" : value));
        }

        /** The data as it was at {@code time}: the last value written by then. */
        Optional<String> dataAt(Instant time) {
            return history.stream()
                    .filter(version -> !version.getKey().isAfter(time))
                    .reduce((earlier, later) -> later)
                    .map(Map.Entry::getValue)
                    .filter(value -> !value.isEmpty());
        }

        synchronized State state(Instant now) {
            if (changing == State.AVAILABLE || changing == State.FAILED || changing == State.GONE) {
                return changing;
            }
            if (now.isBefore(changeBegan.plus(step))) {
                return changing;
            }
            changing = switch (changing) {
                case CREATING -> failWhileCreating ? State.FAILED : State.AVAILABLE;
                case DELETING -> State.GONE;
                default -> State.AVAILABLE;
            };
            if (changing == State.GONE) {
                deletions.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            }
            return changing;
        }

        synchronized void begin(State change, Instant now) {
            changing = change;
            changeBegan = now;
        }

        Map<String, Object> view(Instant now) {
            Map<String, Object> view = new LinkedHashMap<>();
            State state = state(now);
            view.put("name", name);
            view.put("state", state.name().toLowerCase());
            view.put("size", size);
            if (state == State.FAILED) {
                view.put("message", "the test cloud failed creating " + name + ", as it was asked to");
            }
            return view;
        }
    }

    private record Key(String secret, Instant activeFrom) {}

    /** A copy of a database's data, taken in a step; it outlives its database until it is deleted. */
    private final class Snapshot {
        private final String name;
        private final String data;
        private final Instant taken;
        private volatile Instant deleting;

        Snapshot(String name, String data, Instant taken) {
            this.name = name;
            this.data = data;
            this.taken = taken;
        }

        boolean available(Instant now) {
            return deleting == null && !now.isBefore(taken.plus(step));
        }

        boolean gone(Instant now) {
            return deleting != null && !now.isBefore(deleting.plus(step));
        }

        String state(Instant now) {
            if (deleting != null) {
                return gone(now) ? "deleted" : "deleting";
            }
            return available(now) ? "available" : "creating";
        }
    }

    private void takeSnapshot(HttpExchange exchange, String name, String snapshotName, Instant now) throws IOException {
        Optional<Database> existing = existing(name, now);
        if (!exchange.getRequestMethod().equals("PUT")) {
            answer(exchange, 405, Map.of("error", "method not allowed"));
            return;
        }
        Snapshot snapshot = snapshots.get(snapshotName);
        if (snapshot != null && !snapshot.gone(now)) {
            answer(exchange, 200, Map.of("name", snapshotName, "state", snapshot.state(now)));
            return;
        }
        if (existing.isEmpty() || existing.get().state(now) != State.AVAILABLE) {
            answer(exchange, 409, Map.of("error", "database " + name + " is not available"));
            return;
        }
        snapshots.put(snapshotName, new Snapshot(snapshotName, existing.get().data, now));
        answer(exchange, 201, Map.of("name", snapshotName, "state", "creating"));
    }

    private void handleSnapshot(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/snapshots/".length());
            Instant now = clock.instant();
            Snapshot snapshot = snapshots.get(name);
            if (snapshot == null || snapshot.gone(now)) {
                answer(exchange, 404, Map.of("error", "no snapshot " + name));
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> answer(exchange, 200, Map.of("name", name, "state", snapshot.state(now)));
                case "DELETE" -> {
                    if (snapshot.deleting == null) {
                        snapshot.deleting = now;
                    }
                    answer(exchange, 202, Map.of("name", name, "state", snapshot.state(now)));
                }
                default -> answer(exchange, 405, Map.of("error", "method not allowed"));
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI()
                    .getPath()
                    .substring("/databases/".length())
                    .split("/");
            Instant now = clock.instant();
            if (path.length == 1) {
                database(exchange, path[0], now);
            } else if (path.length == 3 && path[1].equals("keys")) {
                key(exchange, path[0], path[2], now);
            } else if (path.length == 3 && path[1].equals("snapshots")) {
                takeSnapshot(exchange, path[0], path[2], now);
            } else if (path.length == 2 && path[1].equals("data")) {
                data(exchange, path[0], now);
            } else {
                answer(exchange, 404, Map.of("error", "no such path"));
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void database(HttpExchange exchange, String name, Instant now) throws IOException {
        Optional<Database> existing = existing(name, now);
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                if (existing.isPresent()) {
                    answer(exchange, 200, existing.get().view(now));
                    return;
                }
                Map<String, Object> body = body(exchange);
                Optional<String> data = Optional.empty();
                if (body.get("from_snapshot") instanceof String from) {
                    Snapshot snapshot = snapshots.get(from);
                    if (snapshot == null || !snapshot.available(now)) {
                        answer(exchange, 409, Map.of("error", "snapshot " + from + " is not available"));
                        return;
                    }
                    data = Optional.ofNullable(snapshot.data);
                } else if (body.get("from_database") instanceof String from && body.get("at") instanceof String at) {
                    Optional<Database> source = existing(from, now);
                    if (source.isEmpty()) {
                        answer(exchange, 409, Map.of("error", "database " + from + " does not exist"));
                        return;
                    }
                    data = source.get().dataAt(Instant.parse(at));
                }
                Database database = new Database(
                        name,
                        String.valueOf(body.getOrDefault("size", "small")),
                        Boolean.TRUE.equals(body.get("fail_while_creating")),
                        data.orElse(null),
                        now);
                databases.put(name, database);
                creations.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                answer(exchange, 201, database.view(now));
            }
            case "GET" -> {
                if (existing.isEmpty()) {
                    answer(exchange, 404, Map.of("error", "no database " + name));
                    return;
                }
                answer(exchange, 200, existing.get().view(now));
            }
            case "PATCH" -> modify(exchange, existing, name, now);
            case "DELETE" -> {
                if (existing.isEmpty()) {
                    answer(exchange, 404, Map.of("error", "no database " + name));
                    return;
                }
                Database database = existing.get();
                if (database.state(now) != State.DELETING) {
                    database.begin(State.DELETING, now);
                }
                answer(exchange, 202, database.view(now));
            }
            default -> answer(exchange, 405, Map.of("error", "method not allowed"));
        }
    }

    /** A size change takes a step; a master password is set at once. Only an available database can change. */
    private void modify(HttpExchange exchange, Optional<Database> existing, String name, Instant now)
            throws IOException {
        if (existing.isEmpty()) {
            answer(exchange, 404, Map.of("error", "no database " + name));
            return;
        }
        Database database = existing.get();
        if (database.state(now) != State.AVAILABLE) {
            answer(
                    exchange,
                    409,
                    Map.of(
                            "error",
                            "database " + name + " is " + database.view(now).get("state")));
            return;
        }
        Map<String, Object> body = body(exchange);
        if (body.get("master_password") instanceof String password) {
            database.masterPassword = password;
        }
        if (body.get("size") instanceof String size && !size.equals(database.size)) {
            database.size = size;
            database.begin(State.MODIFYING, now);
        }
        answer(exchange, 200, database.view(now));
    }

    private void key(HttpExchange exchange, String name, String keyName, Instant now) throws IOException {
        Optional<Database> existing = existing(name, now);
        if (existing.isEmpty() || existing.get().state(now) == State.DELETING) {
            answer(exchange, 404, Map.of("error", "no database " + name));
            return;
        }
        Database database = existing.get();
        String given = exchange.getRequestHeaders().getFirst("X-Master-Password");
        if (database.masterPassword == null || !database.masterPassword.equals(given)) {
            answer(exchange, 403, Map.of("error", "wrong master password for " + name));
            return;
        }
        Key key = database.keys.get(keyName);
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                Object secret = body(exchange).get("secret");
                if (key != null && !key.secret().equals(secret)) {
                    answer(exchange, 409, Map.of("error", "key " + keyName + " exists with another secret"));
                    return;
                }
                if (key == null) {
                    database.keys.put(keyName, new Key(String.valueOf(secret), now.plus(keyActivation)));
                }
                answer(exchange, key == null ? 201 : 200, Map.of("name", keyName));
            }
            case "GET" -> {
                if (key == null) {
                    answer(exchange, 404, Map.of("error", "no key " + keyName));
                    return;
                }
                answer(exchange, 200, Map.of("name", keyName, "active", !now.isBefore(key.activeFrom())));
            }
            case "DELETE" -> {
                database.keys.remove(keyName);
                answer(exchange, key == null ? 404 : 204, null);
            }
            default -> answer(exchange, 405, Map.of("error", "method not allowed"));
        }
    }

    /** The application's data: reached with one of the database's active keys, and no other. */
    private void data(HttpExchange exchange, String name, Instant now) throws IOException {
        Optional<Database> existing = existing(name, now);
        if (existing.isEmpty() || existing.get().state(now) == State.CREATING) {
            answer(exchange, 404, Map.of("error", "no database " + name));
            return;
        }
        Database database = existing.get();
        if (!authorized(database, exchange.getRequestHeaders().getFirst("Authorization"), now)) {
            answer(exchange, 401, Map.of("error", "not a key of " + name));
            return;
        }
        if (exchange.getRequestMethod().equals("PUT")) {
            database.write(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), now);
            answer(exchange, 204, null);
        } else {
            Map<String, Object> view = new HashMap<>();
            view.put("data", database.data);
            answer(exchange, 200, view);
        }
    }

    private static boolean authorized(Database database, String authorization, Instant now) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return false;
        }
        String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                .split(":", 2);
        Key key = database.keys.get(pair[0]);
        return pair.length == 2 && key != null && key.secret().equals(pair[1]) && !now.isBefore(key.activeFrom());
    }

    private Optional<Database> existing(String name, Instant now) {
        Database database = databases.get(name);
        if (database == null || database.state(now) == State.GONE) {
            return Optional.empty();
        }
        return Optional.of(database);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        return bytes.length == 0 ? Map.of() : JSON.readValue(bytes, Map.class);
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
