package io.paasbroker.broker.credentials;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import io.github.jopenlibs.vault.response.VaultResponse;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets in a Vault KV version 2 engine, each ref at {@code <mount>/data/<prefix>/<ref>}, so Vault keeps their
 * versions, audit trail and access policies. With AppRole the store logs in on first use, again once three quarters
 * of the token's lease have passed, and once more if Vault refuses the token anyway (revoked), retrying that call.
 *
 * <p>The driver answers 4xx statuses instead of throwing, and throws with the response body in the message for
 * others; every call here checks the status itself and reports only the ref and the status, because a body may echo
 * what was sent.
 */
public class VaultCredentialStore implements CredentialStore {

    private static final Logger log = LoggerFactory.getLogger(VaultCredentialStore.class);
    /** Refs as {@link CredentialRefs} makes them; nothing that could climb out of the prefix or add a query. */
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    private static final int KV_VERSION_2 = 2;
    private static final int FORBIDDEN = 403;
    private static final int NOT_FOUND = 404;

    /** Keeps the driver from reading VAULT_TOKEN, VAULT_ADDR and the like: the settings are the only configuration. */
    private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null;
        }
    };

    private final VaultSettings settings;
    private final String address;
    private final Clock clock;
    /** Shared by every call: the driver otherwise builds a new HTTP client, with its own thread, per request. */
    private final HttpClient httpClient;

    private final Object loginLock = new Object();
    private volatile Session session;

    public VaultCredentialStore(VaultSettings settings) {
        this(settings, Clock.systemUTC());
    }

    VaultCredentialStore(VaultSettings settings, Clock clock) {
        this.settings = settings;
        this.address = settings.address().toString().replaceAll("/+$", "");
        this.clock = clock;
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
    }

    @Override
    public void put(String ref, Map<String, Object> secret) {
        String action = "writing " + checked(ref);
        Map<String, Object> fields = supportedFields(ref, secret);
        Answer<LogicalResponse> answer = call(action, vault -> vault.logical().write(path(ref), fields));
        if (!answer.succeeded()) {
            throw rejected(action, answer.status());
        }
    }

    @Override
    public Optional<Map<String, Object>> get(String ref) {
        String action = "reading " + checked(ref);
        Answer<LogicalResponse> answer = call(action, vault -> vault.logical().read(path(ref)));
        if (answer.status() == NOT_FOUND) {
            return Optional.empty();
        }
        if (!answer.succeeded()) {
            throw rejected(action, answer.status());
        }
        JsonObject data = answer.response() == null ? null : answer.response().getDataObject();
        if (data == null) {
            throw new CredentialStoreException("Vault at " + address + " answered HTTP " + answer.status()
                    + " without secret data while " + action);
        }
        return Optional.of(fromJson(data));
    }

    /**
     * On KV version 2 the driver deletes at {@code <mount>/metadata/...}, which destroys every version and the
     * metadata; a delete at {@code data/} would only soft-delete the latest version and leave it recoverable.
     */
    @Override
    public void delete(String ref) {
        String action = "destroying " + checked(ref);
        Answer<LogicalResponse> answer = call(action, vault -> vault.logical().delete(path(ref)));
        if (!answer.succeeded() && answer.status() != NOT_FOUND) {
            throw rejected(action, answer.status());
        }
    }

    /** Looks up the store's own token: proves Vault answers and accepts the token (logging in first with AppRole). */
    @Override
    public void check() {
        String action = "looking up the broker's token";
        Answer<LookupResponse> answer = call(action, vault -> vault.auth().lookupSelf());
        if (!answer.succeeded()) {
            throw rejected(action, answer.status());
        }
    }

    @Override
    public String describe() {
        return "vault " + address + " kv-v2 mount '" + settings.kvMount() + "' prefix '" + settings.pathPrefix() + "'";
    }

    /** A driver client bound to one token, and the instant from which the store logs in anew instead of using it. */
    private record Session(Vault vault, Instant renewAt) {}

    /** A call's HTTP status, and the driver's response unless the driver threw on that status. */
    private record Answer<R>(int status, R response) {

        boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    @FunctionalInterface
    private interface VaultCall<R extends VaultResponse> {

        R on(Vault vault) throws VaultException;
    }

    private <R extends VaultResponse> Answer<R> call(String action, VaultCall<R> call) {
        Session used = currentSession();
        Answer<R> answer = attempt(action, used, call);
        if (answer.status() == FORBIDDEN && settings.usesAppRole()) {
            log.info("Vault at {} refused the AppRole token while {}; logging in again", address, action);
            answer = attempt(action, replace(used), call);
        }
        return answer;
    }

    private <R extends VaultResponse> Answer<R> attempt(String action, Session session, VaultCall<R> call) {
        try {
            R response = call.on(session.vault());
            return new Answer<>(response.getRestResponse().getStatus(), response);
        } catch (VaultException e) {
            if (e.getHttpStatusCode() > 0) {
                return new Answer<>(e.getHttpStatusCode(), null);
            }
            throw unreachable(action, e);
        }
    }

    private Session currentSession() {
        Session current = session;
        if (current != null && clock.instant().isBefore(current.renewAt())) {
            return current;
        }
        synchronized (loginLock) {
            if (session == null || !clock.instant().isBefore(session.renewAt())) {
                session = open();
            }
            return session;
        }
    }

    /** After Vault refused {@code refused}: logs in anew, unless another call already has. */
    private Session replace(Session refused) {
        synchronized (loginLock) {
            if (session == refused) {
                session = open();
            }
            return session;
        }
    }

    private Session open() {
        return settings.usesAppRole() ? logInWithAppRole() : new Session(client(settings.token()), Instant.MAX);
    }

    private Session logInWithAppRole() {
        String action = "logging in through AppRole mount '" + settings.appRoleMount() + "'";
        Instant requestedAt = clock.instant();
        AuthResponse login;
        try {
            login = client(null).auth().loginByAppRole(settings.appRoleMount(), settings.roleId(), settings.secretId());
        } catch (VaultException e) {
            throw e.getHttpStatusCode() > 0 ? rejected(action, e.getHttpStatusCode()) : unreachable(action, e);
        }
        String token = login.getAuthClientToken();
        if (token == null || token.isEmpty()) {
            throw new CredentialStoreException("Vault at " + address + " gave no client token while " + action);
        }
        Duration lease = Duration.ofSeconds(login.getAuthLeaseDuration());
        Instant renewAt = lease.isZero()
                ? Instant.MAX
                : requestedAt.plus(lease.multipliedBy(3).dividedBy(4));
        log.info(
                "Logged in to Vault at {} through AppRole mount '{}', token lease {}",
                address,
                settings.appRoleMount(),
                lease);
        return new Session(client(token), renewAt);
    }

    /**
     * A driver client for {@code token} (none for logging in). Pinned to KV version 2 rather than asking Vault, which
     * needs read access to {@code sys/mounts}; the path depth puts {@code data/} or {@code metadata/} after the whole
     * mount, which may span several segments.
     */
    private Vault client(String token) {
        try {
            VaultConfig config = new VaultConfig()
                    .environmentLoader(NO_ENVIRONMENT)
                    .address(address)
                    .token(token)
                    .httpClient(httpClient)
                    .readTimeout(wholeSecondsAtLeastOne(settings.timeout()))
                    .prefixPathDepth(settings.kvMount().split("/").length);
            if (settings.namespace() != null) {
                config.nameSpace(settings.namespace());
            }
            return Vault.create(config.build(), KV_VERSION_2);
        } catch (VaultException e) {
            throw new CredentialStoreException("the Vault client cannot be configured for " + address, e);
        }
    }

    private String path(String ref) {
        return settings.kvMount() + "/" + settings.pathPrefix() + "/" + ref;
    }

    private static String checked(String ref) {
        if (ref == null || !REF.matcher(ref).matches()) {
            throw new IllegalArgumentException("'" + ref + "' is not a credential ref");
        }
        return "'" + ref + "'";
    }

    /** The driver writes any other type as its toString(), which would not read back as what was stored. */
    private static Map<String, Object> supportedFields(String ref, Map<String, Object> secret) {
        secret.forEach((name, value) -> {
            if (!(value instanceof String
                    || value instanceof Boolean
                    || value instanceof Integer
                    || value instanceof Long
                    || value instanceof Double)) {
                String type = value == null ? "null" : value.getClass().getSimpleName();
                throw new IllegalArgumentException("field '" + name + "' of secret '" + ref + "' is a " + type
                        + "; Vault secrets hold strings, booleans, integers, longs and doubles");
            }
        });
        return new LinkedHashMap<>(secret);
    }

    private static Map<String, Object> fromJson(JsonObject data) {
        Map<String, Object> secret = new LinkedHashMap<>();
        for (JsonObject.Member field : data) {
            secret.put(field.getName(), fromJson(field.getValue()));
        }
        return Collections.unmodifiableMap(secret);
    }

    /** Objects and arrays, which only other tools write, come back as their JSON text. */
    private static Object fromJson(JsonValue value) {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            return number(value.toString());
        }
        return value.isNull() ? null : value.toString();
    }

    /** An Integer where the number fits, so a port written as an int reads back equal to it; else Long or Double. */
    private static Number number(String literal) {
        try {
            long whole = Long.parseLong(literal);
            if (whole == (int) whole) {
                return (int) whole;
            }
            return whole;
        } catch (NumberFormatException notWhole) {
            return Double.valueOf(literal);
        }
    }

    private static int wholeSecondsAtLeastOne(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    private CredentialStoreException rejected(String action, int status) {
        return new CredentialStoreException("Vault at " + address + " answered HTTP " + status + " while " + action);
    }

    /** Without a status the driver's exception wraps a connection or parsing failure, which holds no response body. */
    private CredentialStoreException unreachable(String action, VaultException e) {
        return new CredentialStoreException("Vault at " + address + " could not be used while " + action, e);
    }
}
