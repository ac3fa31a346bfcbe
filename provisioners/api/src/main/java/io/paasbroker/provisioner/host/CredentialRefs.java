package io.paasbroker.provisioner.host;

import io.paasbroker.provisioner.ResourceNames;
import java.util.regex.Pattern;

/**
 * References of secrets in the credential store. OSB ids may hold dots and tildes; an id that is not a plain token is
 * hashed, so no ref can climb out of its folder in a store that reads refs as paths.
 */
public final class CredentialRefs {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    private CredentialRefs() {}

    public static String binding(String bindingId) {
        return "bindings/" + segment(bindingId);
    }

    public static String instance(String instanceId) {
        return "instances/" + segment(instanceId);
    }

    /** The master password of an instance's own cloud database (an RDS instance's), kept by its provisioner. */
    public static String master(String instanceId) {
        return "masters/" + segment(instanceId);
    }

    /** The secret half of the local S3 server's access key of a binding. */
    public static String s3Key(String bindingId) {
        return "s3-keys/" + segment(bindingId);
    }

    /** Where the admin password of a shared server the operator configured lives: {@code servers/postgresql/ops}. */
    public static String server(String kind, String name) {
        return "servers/" + segment(kind) + "/" + segment(name);
    }

    private static String segment(String id) {
        return PLAIN.matcher(id).matches() ? id : "h-" + ResourceNames.hash(id, 40);
    }
}
