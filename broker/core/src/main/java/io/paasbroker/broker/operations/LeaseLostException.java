package io.paasbroker.broker.operations;

/**
 * This replica no longer holds the lease of the operation it runs: another replica may have taken it over. The
 * step stops before its next backing call and records nothing; the replica holding the lease finishes it.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String operationId) {
        super("operation " + operationId + " is no longer leased to this replica");
    }
}
