package io.paasbroker.provisioner.aws.s3;

import io.paasbroker.provisioner.ResourceNames;

/**
 * Names of an instance's S3 and IAM resources, from its OSB ids: a bucket name S3 accepts (lowercase letters, digits
 * and hyphens, 3 to 63; unique across every AWS account, so the broker's prefix should be the operator's own), and an
 * IAM user per binding under a path of the broker's, named after its instance so deprovision finds them all.
 */
final class BucketNames {

    /** The inline policy of a binding's user. */
    static final String POLICY = "paasbroker-bucket";

    private BucketNames() {}

    static String bucket(String prefix, String instanceId) {
        return prefix + "-" + ResourceNames.hash(instanceId, 24);
    }

    /** The IAM path of the broker's users: {@code /paasbroker/<prefix>/}. */
    static String userPath(String prefix) {
        return "/paasbroker/" + prefix + "/";
    }

    /** What the names of an instance's users start with. */
    static String usersOf(String prefix, String instanceId) {
        return prefix + "-" + ResourceNames.hash(instanceId, 16) + "-";
    }

    /** A binding's user: at most 54 characters, within IAM's 64. */
    static String user(String prefix, String instanceId, String bindingId) {
        return usersOf(prefix, instanceId) + ResourceNames.hash(bindingId, 16);
    }
}
