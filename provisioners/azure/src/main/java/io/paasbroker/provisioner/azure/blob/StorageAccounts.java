package io.paasbroker.provisioner.azure.blob;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operators' storage accounts the plans put containers (or backups) in, read through Azure Resource Manager: whether each is
 * as secure as the broker promises its tenants (secure transfer required, no public blob access, TLS 1.2 at least,
 * encryption at rest, and shared keys allowed, as they sign the bindings' SAS), its Blob endpoint, and its keys.
 */
public final class StorageAccounts {

    /** Microsoft.Storage's api-version the broker speaks: that of the published shapes its test bed checks. */
    static final String API_VERSION = "2025-06-01";

    private static final Set<String> TLS_VERSIONS = Set.of("TLS1_2", "TLS1_3");

    /**
     * How long the broker signs with a key it read: Azure limits {@code listKeys} (a write, to Resource Manager) far
     * below reads, and a bind's steps each sign; a key the operator rotated is read again within this.
     */
    private static final Duration KEY_KEPT = Duration.ofMinutes(1);

    private final ArmClient arm;
    /** The plans' accounts, by resource id: what health reads. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    /** The keys read last, by account id and key name. */
    private final Map<String, Key> keys = new ConcurrentHashMap<>();

    private record Key(String value, Instant read) {

        @Override
        public String toString() {
            return "Key[read " + read + "]";
        }
    }

    public StorageAccounts(ArmClient arm) {
        this.arm = arm;
    }

    /** One account as Azure reports it. */
    public record Account(String name, URI blobEndpoint, List<String> problems) {}

    /** Remembers the plan's account for {@link #health}. */
    public void add(StorageAccountRef plan) {
        accounts.put(plan.accountId(), plan.storageAccount());
    }

    /** The plan's account and what is wrong with it; an account Azure does not show the broker is refused. */
    public Account read(StorageAccountRef plan) {
        JsonNode account = arm.get(plan.accountId(), API_VERSION, "reading storage account " + plan.storageAccount())
                .body();
        return new Account(plan.storageAccount(), blobEndpoint(account), problems(account));
    }

    /** The plan's account, refused with what is wrong when it is not as secure as promised. */
    public Account secure(StorageAccountRef plan) {
        Account account = read(plan);
        if (!account.problems().isEmpty()) {
            throw new ProvisioningFailedException("storage account " + plan.storageAccount() + " is not as secure as"
                    + " the broker promises its tenants; the operator must fix: "
                    + String.join("; ", account.problems()));
        }
        return account;
    }

    /** The account's key the plan signs with ({@code listKeys}), read again once it is {@link #KEY_KEPT} old. */
    public String key(StorageAccountRef plan) {
        String id = plan.accountId() + "#" + plan.signingKey();
        Key kept = keys.get(id);
        if (kept != null && kept.read().plus(KEY_KEPT).isAfter(Instant.now())) {
            return kept.value();
        }
        String value = readKey(plan);
        keys.put(id, new Key(value, Instant.now()));
        return value;
    }

    private String readKey(StorageAccountRef plan) {
        JsonNode keys = arm.post(
                        plan.accountId(),
                        "listKeys",
                        API_VERSION,
                        null,
                        "reading the keys of storage account " + plan.storageAccount())
                .body()
                .path("keys");
        for (JsonNode key : keys) {
            if (key.path("keyName").asText().equals(plan.signingKey())) {
                return key.path("value").asText();
            }
        }
        throw new ProvisioningFailedException("storage account " + plan.storageAccount() + " has no key "
                + plan.signingKey() + " the broker may read (listKeys): the broker's role needs"
                + " Microsoft.Storage/storageAccounts/listKeys/action");
    }

    private static URI blobEndpoint(JsonNode account) {
        String blob =
                account.path("properties").path("primaryEndpoints").path("blob").asText("");
        return blob.isEmpty() ? null : URI.create(blob.replaceAll("/+$", ""));
    }

    /** What Azure reports of the account that breaks the broker's promises, each in a sentence. */
    static List<String> problems(JsonNode account) {
        JsonNode properties = account.path("properties");
        List<String> problems = new ArrayList<>();
        if (!properties.path("supportsHttpsTrafficOnly").asBoolean(false)) {
            problems.add("secure transfer is not required (supportsHttpsTrafficOnly)");
        }
        // accounts made before Azure turned it off by default allow it when the property is absent
        if (properties.path("allowBlobPublicAccess").asBoolean(true)) {
            problems.add("anonymous public access to blobs is allowed (allowBlobPublicAccess)");
        }
        // absent: TLS 1.0, the default of older accounts
        if (!TLS_VERSIONS.contains(properties.path("minimumTlsVersion").asText("TLS1_0"))) {
            problems.add("clients may use TLS older than 1.2 (minimumTlsVersion "
                    + properties.path("minimumTlsVersion").asText("TLS1_0") + ")");
        }
        if (!properties
                .path("encryption")
                .path("services")
                .path("blob")
                .path("enabled")
                .asBoolean(true)) {
            problems.add("blobs are not encrypted at rest (encryption.services.blob)");
        }
        // absent: allowed, Azure's default
        if (!properties.path("allowSharedKeyAccess").asBoolean(true)) {
            problems.add("shared key access is off (allowSharedKeyAccess), and the account's key signs the bindings'"
                    + " SAS");
        }
        if (blobEndpoint(account) == null) {
            problems.add("it has no Blob endpoint (primaryEndpoints.blob): a Blob Storage account is needed");
        }
        return problems;
    }

    /** Whether Azure shows the broker each plan's account, and whether it is as secure as promised. */
    public Health health() {
        Map<String, String> problems = new TreeMap<>();
        Map<String, String> up = new TreeMap<>();
        accounts.forEach((id, name) -> {
            String resource = "s3 storage account " + id;
            try {
                JsonNode account = arm.get(id, API_VERSION, "reading storage account " + name)
                        .body();
                List<String> found = problems(account);
                if (found.isEmpty()) {
                    up.put(resource, "UP");
                } else {
                    problems.put(resource, String.join("; ", found));
                }
            } catch (RuntimeException e) {
                problems.put(resource, e.getMessage());
            }
        });
        return new Health(problems, up);
    }
}
