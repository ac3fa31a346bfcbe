package io.paasbroker.aws.testbed.iam;

/** A policy document outside IAM's grammar: IAM answers {@code MalformedPolicyDocument} with the reason. */
public final class MalformedPolicyException extends RuntimeException {

    public MalformedPolicyException(String reason) {
        super(reason);
    }
}
