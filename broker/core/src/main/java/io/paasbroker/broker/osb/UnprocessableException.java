package io.paasbroker.broker.osb;

/** A well-formed request the broker refuses as things stand: answered 422 with the description; nothing changes. */
public class UnprocessableException extends RuntimeException {

    public UnprocessableException(String description) {
        super(description);
    }
}
