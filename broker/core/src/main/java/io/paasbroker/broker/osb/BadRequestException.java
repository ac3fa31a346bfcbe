package io.paasbroker.broker.osb;

/** A request the broker cannot act on as sent: answered 400 with the description, and nothing changes. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String description) {
        super(description);
    }
}
