package io.paasbroker.azure.testbed.fake;

/** An error Azure Resource Manager answers: its HTTP status and ARM's {@code error.code} and {@code error.message}. */
public final class ArmError extends RuntimeException {

    private final int status;
    private final String code;

    public ArmError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ArmError notFound(String what) {
        return new ArmError(404, "ResourceNotFound", "The Resource '" + what + "' was not found.");
    }

    /** What a flexible server answers a change while another operation of its runs. */
    public static ArmError busy(String server) {
        return new ArmError(
                409, "ServerBusy", "Server '" + server + "' is busy with another operation. Please try again later.");
    }

    public static ArmError invalid(String message) {
        return new ArmError(400, "InvalidParameterValue", message);
    }
}
