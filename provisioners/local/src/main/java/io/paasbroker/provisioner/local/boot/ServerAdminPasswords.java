package io.paasbroker.provisioner.local.boot;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.host.CredentialRefs;
import io.paasbroker.provisioner.host.SecretStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admin passwords of the shared servers the operator configured, kept in the credential store at
 * {@code servers/<kind>/<name>}: field {@code password}, and {@code pending} while a rotation is under way. The
 * configured {@code admin-password} only bootstraps the entry: once the entry exists, it wins.
 */
public final class ServerAdminPasswords implements AdminPasswordSource {

    /** One server's entry. {@code pending} is null unless a rotation began and has not finished. */
    public record Entry(String password, String pending) {

        Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("password", password);
            if (pending != null) {
                fields.put("pending", pending);
            }
            return fields;
        }

        @Override
        public String toString() {
            return "Entry[" + (pending == null ? "settled" : "pending") + "]";
        }
    }

    private final SecretStore store;

    public ServerAdminPasswords(SecretStore store) {
        this.store = store;
    }

    /** The stored password; with no entry yet, the configured one, which is stored from now on. */
    @Override
    public String adminPassword(ServiceKind kind, LocalProperties.Server server) {
        Optional<Entry> stored = entry(kind, server.name());
        if (stored.isPresent()) {
            return stored.get().password();
        }
        if (server.adminPassword() == null || server.adminPassword().isEmpty()) {
            throw new IllegalArgumentException("no admin password for the " + kind.key() + " server '" + server.name()
                    + "': configure its admin-password, or store it in the credential store at "
                    + ref(kind, server.name()) + " (field password)");
        }
        write(kind, server.name(), new Entry(server.adminPassword(), null));
        return server.adminPassword();
    }

    public Optional<Entry> entry(ServiceKind kind, String server) {
        return store.get(ref(kind, server)).map(fields -> new Entry(text(fields, "password"), text(fields, "pending")));
    }

    public void write(ServiceKind kind, String server, Entry entry) {
        store.put(ref(kind, server), entry.fields());
    }

    public static String ref(ServiceKind kind, String server) {
        return CredentialRefs.server(kind.key(), server);
    }

    private static String text(Map<String, Object> fields, String key) {
        Object value = fields.get(key);
        return value == null ? null : value.toString();
    }
}
