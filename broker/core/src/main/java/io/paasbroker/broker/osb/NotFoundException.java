package io.paasbroker.broker.osb;

/** The instance, binding or operation asked about does not exist: answered 404 (the framework would answer 400). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String description) {
        super(description);
    }
}
