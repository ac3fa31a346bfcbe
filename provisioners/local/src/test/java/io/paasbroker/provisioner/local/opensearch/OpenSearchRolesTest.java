package io.paasbroker.provisioner.local.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenSearchRolesTest {

    private static final String INSTANCE = "6f1c6f7e-2b1a-4c9e-9d6c-2f0f3c1b7a55";

    @Test
    void namesAreDerivedFromTheInstanceAndHoldNoWildcardOrPathCharacter() {
        assertThat(OpenSearchNames.indexPrefix(INSTANCE))
                .isEqualTo(OpenSearchNames.indexPrefix(INSTANCE))
                .matches("pb-[0-9a-f]{16}-");
        assertThat(OpenSearchNames.indexPattern(INSTANCE)).isEqualTo(OpenSearchNames.indexPrefix(INSTANCE) + "*");
        assertThat(List.of(
                        OpenSearchNames.writeRole(INSTANCE),
                        OpenSearchNames.readRole(INSTANCE),
                        OpenSearchNames.bindingUser(INSTANCE, "binding-1")))
                .allSatisfy(name -> assertThat(name).matches("pb_[0-9a-f]{16}_[0-9a-z]+"));
        assertThat(OpenSearchNames.bindingUser(INSTANCE, "binding-1"))
                .startsWith(OpenSearchNames.userPrefix(INSTANCE))
                .isNotEqualTo(OpenSearchNames.bindingUser(INSTANCE, "binding-2"));
    }

    @Test
    void bothRolesReachOnlyTheInstancesIndexPattern() {
        for (Map<String, Object> role :
                List.of(OpenSearchRoles.readWrite(INSTANCE), OpenSearchRoles.readOnly(INSTANCE))) {
            assertThat((List<?>) role.get("index_permissions"))
                    .singleElement()
                    .satisfies(permission -> assertThat(((Map<?, ?>) permission).get("index_patterns"))
                            .isEqualTo(List.of(OpenSearchNames.indexPattern(INSTANCE))));
        }
    }

    @Test
    void noRoleGetsAClusterPermissionThatListsIndicesOrChangesTheCluster() {
        for (Map<String, Object> role :
                List.of(OpenSearchRoles.readWrite(INSTANCE), OpenSearchRoles.readOnly(INSTANCE))) {
            assertThat((List<?>) role.get("cluster_permissions"))
                    .map(String::valueOf)
                    .noneMatch(action -> action.startsWith("cluster:admin"))
                    .noneMatch(action -> action.startsWith("cluster:monitor/state"))
                    .noneMatch(action -> action.startsWith("cluster:monitor/health"))
                    .noneMatch(action -> action.startsWith("indices:admin"))
                    .noneMatch(action -> action.contains("*"))
                    .noneMatch(action -> action.startsWith("cluster_") || action.endsWith("_all"));
        }
        assertThat((List<?>) OpenSearchRoles.readOnly(INSTANCE).get("cluster_permissions"))
                .map(String::valueOf)
                .noneMatch(action -> action.startsWith("indices:data/write"));
    }
}
