package io.paasbroker.broker.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.broker.credentials.FakeVaultServer.RecordedRequest;
import io.paasbroker.broker.support.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultCredentialStoreTest {

    private static final String TOKEN = "hvs.broker-token-4f9a2c";
    private static final String ROLE_ID = "role-id-7c1e55";
    private static final String SECRET_ID = "secret-id-93bd0a";
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final String LOGIN_PATH = "/v1/auth/approle/login";

    private static final Map<String, Object> CREDENTIALS = Map.of(
            "uri",
            "postgresql://app_user:s3cr3t-pa55word@db.internal:5432/app",
            "hostname",
            "db.internal",
            "port",
            5432,
            "username",
            "app_user",
            "password",
            "s3cr3t-pa55word",
            "ssl",
            true,
            "max_bytes",
            10_000_000_000L,
            "load_factor",
            0.75);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private FakeVaultServer vault;

    @BeforeEach
    void startVault() {
        vault = FakeVaultServer.start(clock);
        vault.addToken(TOKEN);
        vault.enableAppRole("approle", ROLE_ID, SECRET_ID, LEASE);
    }

    @AfterEach
    void stopVault() {
        vault.stop();
    }

    @Test
    void putThenGetRoundTripsTypedValues() {
        VaultCredentialStore store = tokenStore(TOKEN);

        store.put("bindings/abc", CREDENTIALS);

        Map<String, Object> read = store.get("bindings/abc").orElseThrow();
        assertThat(read).isEqualTo(CREDENTIALS);
        assertThat(read.get("port")).isInstanceOf(Integer.class);
        assertThat(read.get("ssl")).isInstanceOf(Boolean.class);
        assertThat(read.get("max_bytes")).isInstanceOf(Long.class);
    }

    @Test
    void overwriteStoresNewVersionAndGetReturnsNewest() {
        VaultCredentialStore store = tokenStore(TOKEN);

        store.put("bindings/abc", Map.of("password", "first"));
        store.put("bindings/abc", Map.of("password", "second"));

        assertThat(vault.versionsStored("secret", "paasbroker/bindings/abc")).isEqualTo(2);
        assertThat(store.get("bindings/abc")).contains(Map.of("password", "second"));
    }

    @Test
    void deleteDestroysEveryVersionNotOnlyTheLatest() {
        VaultCredentialStore store = tokenStore(TOKEN);
        store.put("bindings/abc", Map.of("password", "first"));
        store.put("bindings/abc", Map.of("password", "second"));

        store.delete("bindings/abc");

        assertThat(vault.versionsStored("secret", "paasbroker/bindings/abc")).isZero();
        assertThat(store.get("bindings/abc")).isEmpty();
        assertThat(vault.requests())
                .filteredOn(request -> request.method().equals("DELETE"))
                .extracting(RecordedRequest::path)
                .containsExactly("/v1/secret/metadata/paasbroker/bindings/abc");
    }

    @Test
    void deleteOfMissingRefIsNoError() {
        VaultCredentialStore store = tokenStore(TOKEN);

        assertThatCode(() -> store.delete("bindings/never-written")).doesNotThrowAnyException();
    }

    @Test
    void getOfMissingRefIsEmpty() {
        assertThat(tokenStore(TOKEN).get("instances/never-written")).isEmpty();
    }

    @Test
    void wrongTokenFailsNamingRefAndStatusWithoutTokenOrSecret() {
        String wrongToken = "hvs.not-the-broker-token-0d1f";
        VaultCredentialStore store = tokenStore(wrongToken);

        assertThatThrownBy(() -> store.put("bindings/abc", CREDENTIALS))
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageContaining("'bindings/abc'")
                .hasMessageContaining("403")
                .satisfies(e -> assertRevealsNothing(e, wrongToken));
        assertThatThrownBy(() -> store.get("bindings/abc"))
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageContaining("'bindings/abc'")
                .hasMessageContaining("403")
                .satisfies(e -> assertRevealsNothing(e, wrongToken));
    }

    @Test
    void appRoleLoginHappensOnFirstUseOnceAndIsReused() {
        VaultCredentialStore store = appRoleStore();
        assertThat(vault.requests()).isEmpty();

        store.put("bindings/abc", CREDENTIALS);
        store.get("bindings/abc");
        store.check();
        store.delete("bindings/abc");

        List<RecordedRequest> requests = vault.requests();
        assertThat(requests).extracting(RecordedRequest::path).containsOnlyOnce(LOGIN_PATH);
        assertThat(requests.get(0).path()).isEqualTo(LOGIN_PATH);
        assertThat(requests.subList(1, requests.size()))
                .extracting(request -> request.header("X-Vault-Token"))
                .containsOnly("hvs.fake-approle-1");
        assertThat(requests).extracting(RecordedRequest::status).doesNotContain(403);
    }

    @Test
    void expiredAppRoleTokenLeadsToFreshLoginBeforeTheCall() {
        VaultCredentialStore store = appRoleStore();
        store.put("bindings/abc", CREDENTIALS);

        clock.advance(LEASE.plusSeconds(1));

        assertThat(store.get("bindings/abc")).contains(CREDENTIALS);
        assertThat(vault.requests()).extracting(RecordedRequest::path).containsSubsequence(LOGIN_PATH, LOGIN_PATH);
        assertThat(vault.requests()).extracting(RecordedRequest::status).doesNotContain(403);
    }

    @Test
    void revokedAppRoleTokenLeadsToOneFreshLoginAndARetriedCall() {
        VaultCredentialStore store = appRoleStore();
        store.put("bindings/abc", CREDENTIALS);

        vault.revokeLoginTokens();

        assertThat(store.get("bindings/abc")).contains(CREDENTIALS);
        assertThat(vault.requests())
                .extracting(request -> request.method() + " " + request.path() + " " + request.status())
                .containsExactly(
                        "POST " + LOGIN_PATH + " 200",
                        "POST /v1/secret/data/paasbroker/bindings/abc 200",
                        "GET /v1/secret/data/paasbroker/bindings/abc 403",
                        "POST " + LOGIN_PATH + " 200",
                        "GET /v1/secret/data/paasbroker/bindings/abc 200");
    }

    @Test
    void failedAppRoleLoginNamesStatusWithoutSecretId() {
        VaultSettings wrongSecretId =
                new VaultSettings(vault.address(), null, null, null, null, null, ROLE_ID, "wrong-secret-id-5e", null);
        VaultCredentialStore store = new VaultCredentialStore(wrongSecretId, clock);

        assertThatThrownBy(() -> store.get("bindings/abc"))
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageContaining("AppRole")
                .hasMessageContaining("400")
                .satisfies(e -> assertRevealsNothing(e, "wrong-secret-id-5e"));
    }

    @Test
    void checkPassesWhileVaultRunsAndFailsOnceItIsStopped() {
        VaultCredentialStore store = tokenStore(TOKEN);
        URI address = vault.address();

        assertThatCode(store::check).doesNotThrowAnyException();
        assertThat(vault.requests()).extracting(RecordedRequest::path).containsExactly("/v1/auth/token/lookup-self");

        vault.stop();

        assertThatThrownBy(store::check)
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageContaining(address.toString());
    }

    @Test
    void checkFailsForATokenVaultDoesNotKnow() {
        assertThatThrownBy(tokenStore("hvs.unknown-token-77aa")::check)
                .isInstanceOf(CredentialStoreException.class)
                .hasMessageContaining("403")
                .satisfies(e -> assertRevealsNothing(e, "hvs.unknown-token-77aa"));
    }

    @Test
    void namespaceHeaderIsSentWhenConfiguredAndSecretsStayInThatNamespace() {
        VaultSettings inNamespace =
                new VaultSettings(vault.address(), null, null, "team-a", null, null, ROLE_ID, SECRET_ID, null);
        VaultCredentialStore store = new VaultCredentialStore(inNamespace, clock);

        store.put("bindings/abc", CREDENTIALS);
        store.check();

        assertThat(vault.requests())
                .hasSize(3)
                .extracting(request -> request.header("X-Vault-Namespace"))
                .containsOnly("team-a");
        assertThat(vault.versionsStored("team-a", "secret", "paasbroker/bindings/abc"))
                .isEqualTo(1);
        assertThat(vault.versionsStored("secret", "paasbroker/bindings/abc")).isZero();
    }

    @Test
    void noNamespaceHeaderIsSentWithoutNamespace() {
        tokenStore(TOKEN).put("bindings/abc", CREDENTIALS);

        assertThat(vault.requests())
                .extracting(request -> request.header("X-Vault-Namespace"))
                .containsOnlyNulls();
    }

    @Test
    void refsLandUnderTheMountsDataFolderAndThePrefix() {
        VaultCredentialStore store = tokenStore(TOKEN);

        store.put("bindings/abc", CREDENTIALS);
        store.get("bindings/abc");

        assertThat(vault.requests())
                .extracting(request -> request.method() + " " + request.path())
                .containsExactly(
                        "POST /v1/secret/data/paasbroker/bindings/abc", "GET /v1/secret/data/paasbroker/bindings/abc");
        assertThat(vault.versionsStored("secret", "paasbroker/bindings/abc")).isEqualTo(1);
    }

    @Test
    void mountOfSeveralSegmentsGetsDataAfterTheWholeMount() {
        vault.mountKvVersion2("platform/kv");
        VaultSettings settings =
                new VaultSettings(vault.address(), "/platform/kv/", "brokers/eu", null, TOKEN, null, null, null, null);
        VaultCredentialStore store = new VaultCredentialStore(settings, clock);

        store.put("instances/i-1", CREDENTIALS);
        store.delete("instances/i-1");

        assertThat(vault.requests())
                .extracting(request -> request.method() + " " + request.path())
                .containsExactly(
                        "POST /v1/platform/kv/data/brokers/eu/instances/i-1",
                        "DELETE /v1/platform/kv/metadata/brokers/eu/instances/i-1");
        assertThat(store.describe())
                .isEqualTo("vault " + vault.address() + " kv-v2 mount 'platform/kv' prefix 'brokers/eu'");
    }

    @Test
    void describeNamesAddressMountAndPrefix() {
        assertThat(tokenStore(TOKEN).describe())
                .isEqualTo("vault " + vault.address() + " kv-v2 mount 'secret' prefix 'paasbroker'");
    }

    @Test
    void refsThatCouldLeaveThePrefixAreRefused() {
        VaultCredentialStore store = tokenStore(TOKEN);

        assertThatThrownBy(() -> store.get("bindings/../../sys/seal")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("bindings/a?version=1", CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(vault.requests()).isEmpty();
    }

    @Test
    void valuesThatWouldNotReadBackAsWrittenAreRefused() {
        VaultCredentialStore store = tokenStore(TOKEN);

        assertThatThrownBy(() -> store.put("bindings/abc", Map.of("hosts", List.of("a", "b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hosts'");
        assertThat(vault.requests()).isEmpty();
    }

    @Test
    void settingsToStringHidesTokenAndSecretId() {
        VaultSettings withToken = new VaultSettings(vault.address(), null, null, null, TOKEN, null, null, null, null);
        VaultSettings withAppRole =
                new VaultSettings(vault.address(), null, null, null, null, null, ROLE_ID, SECRET_ID, null);

        assertThat(withToken.toString()).doesNotContain(TOKEN).contains("token=(hidden)");
        assertThat(withAppRole.toString()).doesNotContain(SECRET_ID).contains("secretId=(hidden)");
    }

    @Test
    void settingsFillDefaults() {
        VaultSettings settings = new VaultSettings(vault.address(), " ", null, "", TOKEN, null, null, null, null);

        assertThat(settings.kvMount()).isEqualTo("secret");
        assertThat(settings.pathPrefix()).isEqualTo("paasbroker");
        assertThat(settings.namespace()).isNull();
        assertThat(settings.appRoleMount()).isEqualTo("approle");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void settingsRejectBothAuthMethods() {
        URI address = vault.address();

        assertThatThrownBy(() -> new VaultSettings(address, null, null, null, TOKEN, null, ROLE_ID, SECRET_ID, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both")
                .satisfies(e -> assertRevealsNothing(e, TOKEN));
    }

    @Test
    void settingsRejectNeitherAuthMethod() {
        URI address = vault.address();

        assertThatThrownBy(() -> new VaultSettings(address, null, null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token or with an AppRole");
        assertThatThrownBy(() -> new VaultSettings(address, null, null, null, null, null, ROLE_ID, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both a role id and a secret id");
    }

    private VaultCredentialStore tokenStore(String token) {
        return new VaultCredentialStore(
                new VaultSettings(vault.address(), null, null, null, token, null, null, null, null), clock);
    }

    private VaultCredentialStore appRoleStore() {
        return new VaultCredentialStore(
                new VaultSettings(vault.address(), null, null, null, null, null, ROLE_ID, SECRET_ID, null), clock);
    }

    /** Neither the credential nor any secret value appears in the message of the exception or of any cause. */
    private static void assertRevealsNothing(Throwable thrown, String credential) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(credential);
            for (Object value : CREDENTIALS.values()) {
                if (value instanceof String text) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(text);
                }
            }
        }
    }
}
