package io.paasbroker.broker.osb;

/**
 * A synchronous operation failed at the backing service: answered 502 with the operation's description, which says
 * what happened and what to do. Whatever the step had made is already removed.
 */
public class OperationFailedException extends RuntimeException {

    public OperationFailedException(String description) {
        super(description);
    }
}
