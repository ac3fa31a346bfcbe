package io.paasbroker.provisioner.aws.rds;

import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceKind;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.util.Map;
import java.util.function.Function;

/**
 * What differs between the database engines the broker runs on RDS instances of their own: RDS's name and families of
 * the engine, what the broker's parameter groups set, the plan rules of the engine, and the tenancy the broker keeps
 * inside an instance as its master user.
 */
interface RdsEngine {

    ServiceKind kind();

    /** RDS's {@code Engine} of the plan's instances. */
    String engine(RdsPlan plan);

    /** How users know the engine, in messages: {@code PostgreSQL}, {@code MySQL}, {@code MariaDB}. */
    String displayName(RdsPlan plan);

    /** How many leading parts of a version make its major version: 1 for PostgreSQL 16, 2 for MySQL 8.0. */
    int majorVersionParts();

    /** The family of the plan's parameter groups: {@code postgres15}, {@code mysql8.0}, {@code mariadb11.4}. */
    default String family(RdsPlan plan) {
        return engine(plan) + plan.majorVersion(majorVersionParts());
    }

    /** What the broker's parameter group of the plan sets, by parameter: TLS required, above all. */
    Map<String, String> parameters(RdsPlan plan);

    /** Whether RDS applies the parameter without a restart. */
    boolean dynamic(String parameter);

    /** Refuses a plan whose properties this engine cannot have; {@code name} starts each message. */
    void checkPlan(String name, RdsPlan plan);

    /** Refuses parameters the plan does not allow. */
    void checkParameters(Plan plan, RdsPlan properties, RdsParameters parameters);

    /** The format of the snapshots of this engine's instances. */
    String snapshotFormat();

    /** Runs {@code work} on the tenancy inside an instance, logged in as its master over verified TLS. */
    <T> T asMaster(Master master, Function<Tenancy, T> work);

    /**
     * The master login of one RDS instance.
     *
     * @param identifier the RDS identifier, which names the admin connections in the broker's logs
     */
    record Master(String identifier, String host, int port, String username, String password, ServerTls tls) {

        @Override
        public String toString() {
            return "Master[" + identifier + " " + host + ":" + port + " as " + username + "]";
        }
    }

    /** The broker's tenancy inside one RDS instance; every method is idempotent. */
    interface Tenancy {

        /** Whether the instance takes the master password the broker keeps. */
        boolean masterPasswordAccepted();

        /** Makes (or brings to the plan) the tenant's database; answers the outputs the broker keeps of it. */
        Map<String, String> setUp(InstanceRequest request, RdsPlan plan);

        /** Makes the tenancy a restored instance copied from another's snapshot this instance's own. */
        void adoptCopied(InstanceRequest request);

        /** A user of its own for the binding: its credentials. */
        Credentials bind(InstanceRequest instance, String bindingId, boolean readOnly);

        /** Revokes the binding's user. */
        void unbind(InstanceRequest instance, String bindingId);
    }
}
