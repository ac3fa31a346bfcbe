package io.paasbroker.provisioner.azure.flexible;

import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.util.Map;
import java.util.function.Function;

/**
 * What differs between the Azure Database flexible servers the broker makes: the resource type and its API versions,
 * the few request properties Azure names differently per engine, the plans Azure offers, the port, the server
 * parameters the broker sets, and the tenancy it keeps inside a server as its administrator.
 */
interface FlexibleEngine {

    ServiceKind kind();

    /** The resource type: {@code Microsoft.DBforPostgreSQL/flexibleServers}. */
    String resourceType();

    /** The stable API version the broker speaks to the servers and their children. */
    String apiVersion();

    /** The {@code createMode} of a new, empty server. */
    String createMode();

    /** The property of a point-in-time restore's moment. */
    String restorePointProperty();

    /** The network property of a delegated subnet's private DNS zone. */
    String privateDnsZoneProperty();

    /** Whether Azure deletes an on-demand backup when asked; otherwise it keeps each for the server's retention. */
    boolean deletesBackups();

    /** Refuses, at start-up, a plan property Azure does not offer for this engine; {@code name} starts the message. */
    void checkPlan(String name, FlexiblePlan plan);

    /** The format of the backups of this engine's servers. */
    String backupFormat();

    /** The port every server of the type listens on. */
    int port();

    /** The server parameters the broker sets on each server of the plan, by name. */
    Map<String, String> configurations(FlexiblePlan plan);

    /** Runs {@code work} on the tenancy inside a server, logged in as its administrator over verified TLS. */
    <T> T asAdmin(Admin admin, Function<Tenancy, T> work);

    /** The administrator login of one server; {@code server} names the admin connections in the broker's logs. */
    record Admin(String server, String host, int port, String username, String password, ServerTls tls) {

        @Override
        public String toString() {
            return "Admin[" + server + " " + host + ":" + port + " as " + username + "]";
        }
    }

    /** The broker's tenancy inside one server; every method is idempotent. */
    interface Tenancy {

        /** Whether the server takes the administrator password the broker keeps. */
        boolean adminPasswordAccepted();

        /** Makes the tenancy a server restored from another's data holds this instance's own. */
        void adoptCopied(InstanceRequest request);

        /** Makes (or brings to the plan) the tenant's database; answers the outputs the broker keeps of it. */
        Map<String, String> setUp(InstanceRequest request, FlexiblePlan plan);

        /** A user of its own for the binding: its credentials. */
        Credentials bind(InstanceRequest instance, String bindingId, boolean readOnly);

        /** Revokes the binding's user. */
        void unbind(InstanceRequest instance, String bindingId);
    }
}
