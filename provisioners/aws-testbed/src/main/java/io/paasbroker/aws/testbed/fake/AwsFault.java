package io.paasbroker.aws.testbed.fake;

/**
 * An error a fake AWS service answers, as the service would: the code its model names (the SDK maps it to the
 * model's exception), the HTTP status, and whether the caller is at fault.
 */
public final class AwsFault extends RuntimeException {

    private final String code;
    private final int status;

    public AwsFault(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public boolean senderFault() {
        return status < 500;
    }
}
