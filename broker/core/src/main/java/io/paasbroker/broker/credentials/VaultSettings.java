package io.paasbroker.broker.credentials;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the broker reaches Vault for {@link VaultCredentialStore}. It authenticates in exactly one way: with a
 * token it is given, or with an AppRole role id and secret id, with which the store logs itself in. Blank values count
 * as not given, so that empty environment variables do not switch a setting on.
 *
 * @param address Vault's base address, such as {@code https://vault.example.com:8200}
 * @param kvMount where the KV version 2 secrets engine is mounted; {@code secret} when not given
 * @param pathPrefix the folder under the mount that holds the broker's secrets; {@code paasbroker} when not given
 * @param namespace the Vault Enterprise namespace, sent as {@code X-Vault-Namespace}; none when null
 * @param token a token to use as it is; null when logging in with AppRole
 * @param appRoleMount where the AppRole auth method is mounted; {@code approle} when not given
 * @param roleId the AppRole role id; null when using a token
 * @param secretId the AppRole secret id; null when using a token
 * @param timeout how long to wait to connect and for each answer, 5 seconds when not given; the driver counts the
 *     wait for answers in whole seconds, so that wait is rounded up to them
 */
public record VaultSettings(
        URI address,
        String kvMount,
        String pathPrefix,
        String namespace,
        String token,
        String appRoleMount,
        String roleId,
        String secretId,
        Duration timeout) {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public VaultSettings {
        Objects.requireNonNull(address, "the Vault address is required");
        boolean web = "http".equals(address.getScheme()) || "https".equals(address.getScheme());
        if (!web || address.getHost() == null) {
            throw new IllegalArgumentException("the Vault address must be an http or https URL, not " + address);
        }
        kvMount = folder(kvMount, "secret");
        pathPrefix = folder(pathPrefix, "paasbroker");
        appRoleMount = folder(appRoleMount, "approle");
        namespace = folder(namespace, null);
        token = blankToNull(token);
        roleId = blankToNull(roleId);
        secretId = blankToNull(secretId);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the Vault timeout must be positive, not " + timeout);
        }
        boolean appRoleGiven = roleId != null || secretId != null;
        if (token != null && appRoleGiven) {
            throw new IllegalArgumentException(
                    "configure Vault with either a token or an AppRole role id and secret id, not both");
        }
        if (token == null && !appRoleGiven) {
            throw new IllegalArgumentException("configure Vault with a token or with an AppRole role id and secret id");
        }
        if (appRoleGiven && (roleId == null || secretId == null)) {
            throw new IllegalArgumentException("the Vault AppRole login needs both a role id and a secret id");
        }
    }

    /** Whether the store logs in with AppRole rather than using a given token. */
    public boolean usesAppRole() {
        return roleId != null;
    }

    /** Shows whether a token or secret id is set, never the value: settings end up in logs and error reports. */
    @Override
    public String toString() {
        return "VaultSettings[address=" + address + ", kvMount=" + kvMount + ", pathPrefix=" + pathPrefix
                + ", namespace=" + namespace + ", token=" + hidden(token) + ", appRoleMount=" + appRoleMount
                + ", roleId=" + roleId + ", secretId=" + hidden(secretId) + ", timeout=" + timeout + "]";
    }

    private static String hidden(String value) {
        return value == null ? "none" : "(hidden)";
    }

    /** Vault paths are given with or without slashes around them; the store joins them with its own. */
    private static String folder(String path, String fallback) {
        String trimmed = path == null ? "" : path.strip().replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? fallback : trimmed;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
