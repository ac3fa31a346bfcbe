package io.paasbroker.aws.testbed.iam;

import java.util.Collection;

/**
 * IAM's decision for a request of a principal whose identity-based policies are {@code policies}: an explicit Deny in
 * any statement that applies wins; else an Allow that applies allows; else the request is denied implicitly. Resource
 * policies, permission boundaries and organizations' policies are not modelled: the broker's bindings have none.
 */
public final class IamEvaluator {

    /** The outcome, as IAM's policy simulator names it. */
    public enum Decision {
        ALLOWED,
        EXPLICIT_DENY,
        IMPLICIT_DENY;

        public boolean allowed() {
            return this == ALLOWED;
        }
    }

    private IamEvaluator() {}

    public static Decision decide(Collection<IamPolicy> policies, IamRequest request) {
        boolean allowed = false;
        for (IamPolicy policy : policies) {
            for (IamPolicy.Statement statement : policy.statements()) {
                if (statement.applies(request)) {
                    if (!statement.allow()) {
                        return Decision.EXPLICIT_DENY;
                    }
                    allowed = true;
                }
            }
        }
        return allowed ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    }
}
