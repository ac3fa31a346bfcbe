package io.paasbroker.provisioner.local.opensearch;

import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.credentials.OpenSearchCredentials;
import io.paasbroker.provisioner.local.common.PolicyPasswords;
import java.util.List;
import java.util.function.Function;

/**
 * The tenancy of instances on one OpenSearch cluster with the security plugin, whoever runs it (the operator, or
 * OpenSearch Service for a domain of the instance's own): an index prefix per instance with two roles over it
 * (read-write and read-only, see {@link OpenSearchRoles}), and each binding an internal user that carries the backend
 * role one of them is mapped from. OpenSearch checks credentials on every request, so deleting a user revokes its
 * binding at once. Every method is a sequence of create-or-replace ({@code PUT}) and delete-if-present requests: one
 * run again after a crash finds what the first run made and completes it.
 */
public final class OpenSearchTenancy {

    private final OpenSearchAdmin admin;

    /** The tenancy on {@code server}, reached as its admin user. */
    public OpenSearchTenancy(OpenSearchServer server) {
        this(new OpenSearchAdmin(server));
    }

    OpenSearchTenancy(OpenSearchAdmin admin) {
        this.admin = admin;
    }

    /**
     * The instance's roles, then their mappings: a user bound later gets its rights through the mapping alone. Answers
     * the instance's index prefix.
     */
    public String createInstance(String instanceId) {
        String writeRole = OpenSearchNames.writeRole(instanceId);
        String readRole = OpenSearchNames.readRole(instanceId);
        admin.putRole(writeRole, OpenSearchRoles.readWrite(instanceId));
        admin.putRole(readRole, OpenSearchRoles.readOnly(instanceId));
        admin.putRoleMapping(writeRole, OpenSearchRoles.mappingFromBackendRole(writeRole));
        admin.putRoleMapping(readRole, OpenSearchRoles.mappingFromBackendRole(readRole));
        return OpenSearchNames.indexPrefix(instanceId);
    }

    /**
     * Users first, so nothing writes while the indices go; then the indices, by name; then the roles. Each part finds
     * what is left of it, so a run that stopped half-way is completed by the next.
     */
    public void removeInstance(String instanceId) {
        admin.usersStartingWith(OpenSearchNames.userPrefix(instanceId)).forEach(admin::deleteUser);
        admin.deleteIndices(admin.indicesWithPrefix(OpenSearchNames.indexPrefix(instanceId)));
        for (String role : List.of(OpenSearchNames.writeRole(instanceId), OpenSearchNames.readRole(instanceId))) {
            admin.deleteRoleMapping(role);
            admin.deleteRole(role);
        }
    }

    /** Re-running it resets the user: the new password replaces the old one, and there is still one user. */
    public Credentials bind(String instanceId, String bindingId, boolean readOnly) {
        String user = OpenSearchNames.bindingUser(instanceId, bindingId);
        String role = readOnly ? OpenSearchNames.readRole(instanceId) : OpenSearchNames.writeRole(instanceId);
        String password = PolicyPasswords.generate();
        admin.putUser(user, password, List.of(role));
        OpenSearchServer server = admin.server();
        // the user is hex and underscores, the password unreserved characters only: safe in a URI as they are
        return new OpenSearchCredentials(
                        server.publicHost(),
                        server.publicPort(),
                        user,
                        password,
                        OpenSearchNames.indexPrefix(instanceId),
                        server.tls(),
                        readOnly)
                .toCredentials();
    }

    public void unbind(String instanceId, String bindingId) {
        admin.deleteUser(OpenSearchNames.bindingUser(instanceId, bindingId));
    }

    /** Snapshots of the tenancy's instances, in repositories registered on the cluster. */
    public OpenSearchSnapshots snapshots() {
        return new OpenSearchSnapshots(admin);
    }

    /**
     * Streamed backups of instances' indices ({@code opensearch-indices/1}), each instance's through the tenancy
     * {@code tenancies} gives for it.
     */
    public static InstanceBackups backups(Function<InstanceRequest, OpenSearchTenancy> tenancies) {
        return new OpenSearchBackups(instance -> tenancies.apply(instance).admin);
    }
}
