package io.paasbroker.provisioner.aws.rds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.aws.AwsCalls;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.host.MasterPasswords;
import java.io.IOException;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.MasterUserSecret;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;

/**
 * Where the master password of an instance's RDS instance is kept, by its plan: made by the broker and kept in its
 * credential store before RDS is asked ({@link MasterPasswords}); or, with {@code manage_master_user_password}, made
 * by RDS and kept in a Secrets Manager secret that RDS rotates, which the broker reads each time it acts as the master
 * and keeps nowhere.
 */
final class RdsMasters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MasterPasswords store;
    private final AwsClients clients;

    RdsMasters(MasterPasswords store, AwsClients clients) {
        this.store = store;
        this.clients = clients;
    }

    /** Asks RDS for the master password the plan says: its own in Secrets Manager, or the broker's. */
    void ask(CreateDbInstanceRequest.Builder create, RdsPlan plan, String instanceId) {
        if (plan.manageMasterUserPassword()) {
            create.manageMasterUserPassword(true).masterUserSecretKmsKeyId(plan.masterUserSecretKmsKeyId());
        } else {
            create.masterUserPassword(store.forNew(instanceId));
        }
    }

    /**
     * Before RDS restores data into a new instance (which then has the master password of the data's source): the
     * password the broker gives the new instance once it is restored, where the plan has the broker keep it.
     */
    void beforeRestore(RdsPlan plan, String instanceId) {
        if (!plan.manageMasterUserPassword()) {
            store.forNew(instanceId);
        }
    }

    /**
     * Adds to {@code change} what moves the master password to where the plan keeps it, when the instance keeps it
     * elsewhere: into Secrets Manager (RDS makes a new password there), or out of it (the broker's, kept first).
     * Whether it added anything.
     */
    boolean moveToPlan(ModifyDbInstanceRequest.Builder change, DBInstance current, RdsPlan plan, String instanceId) {
        boolean managed = current.masterUserSecret() != null;
        if (plan.manageMasterUserPassword() == managed) {
            return false;
        }
        change.manageMasterUserPassword(plan.manageMasterUserPassword());
        if (plan.manageMasterUserPassword()) {
            change.masterUserSecretKmsKeyId(plan.masterUserSecretKmsKeyId());
        } else {
            change.masterUserPassword(store.forNew(instanceId));
        }
        return true;
    }

    /** Once the instance keeps its password in Secrets Manager, the broker's copy is of no use: it is deleted. */
    void settled(RdsPlan plan, String instanceId) {
        if (plan.manageMasterUserPassword()) {
            store.forget(instanceId);
        }
    }

    /** Forgets the broker's copy, once the instance is gone. */
    void forget(String instanceId) {
        store.forget(instanceId);
    }

    /**
     * The instance's master password now, where RDS says the instance keeps it (whatever its plan says, as an update
     * that moved it may have failed half-way): the current version of its secret, read anew each time as RDS rotates
     * it; or the broker's.
     */
    String password(RdsPlan plan, String instanceId, DBInstance instance) {
        String id = instance.dbInstanceIdentifier();
        MasterUserSecret secret = instance.masterUserSecret();
        if (secret == null || secret.secretArn() == null) {
            return plan.manageMasterUserPassword()
                    ? store.find(instanceId)
                            .orElseThrow(() -> new ProvisioningFailedException("RDS instance " + id
                                    + " keeps no master password in Secrets Manager although its plan says RDS manages"
                                    + " it: update the service instance to its plan"))
                    : store.of(instanceId);
        }
        if (secretChanging(instance)) {
            // the database may have the new password before the secret's current version does
            throw new BackingServiceUnavailableException(
                    "RDS is " + secret.secretStatus() + " the master password of instance " + id + "; the step waits",
                    null);
        }
        String value = AwsCalls.call(
                        "reading the master password of RDS instance " + id + " from Secrets Manager",
                        () -> clients.secretsManager(plan.account(), region(plan))
                                .getSecretValue(b -> b.secretId(secret.secretArn())))
                .secretString();
        try {
            JsonNode password = value == null ? null : JSON.readTree(value).get("password");
            if (password != null && password.isTextual()) {
                return password.asText();
            }
        } catch (IOException e) {
            // the message would quote the secret: it is not kept
        }
        throw new ProvisioningFailedException(
                "the Secrets Manager secret of RDS instance " + id + " is not RDS's: it holds no master password");
    }

    /**
     * Whether RDS is making or rotating the instance's master secret, which is then waited for. An {@code impaired}
     * secret still holds the password (RDS cannot rotate it): it is read as it is.
     */
    static boolean secretChanging(DBInstance instance) {
        MasterUserSecret secret = instance.masterUserSecret();
        return secret != null && ("creating".equals(secret.secretStatus()) || "rotating".equals(secret.secretStatus()));
    }

    private String region(RdsPlan plan) {
        return clients.account(plan.account()).region(plan.region());
    }
}
