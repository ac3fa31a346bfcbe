package io.paasbroker.provisioner.azure.arm;

import io.paasbroker.provisioner.ProvisioningFailedException;

/**
 * Azure Resource Manager refused a request as asked (a 4xx other than throttling): the step fails with Azure's code
 * and message, which name no secret, unless the caller expected the refusal ({@link #is}).
 */
public final class ArmRefusal extends ProvisioningFailedException {

    private final int status;
    private final String code;

    ArmRefusal(String doing, int status, String code, String message) {
        super(doing + ": Azure refused: " + code + ": " + message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status Azure answered. */
    public int status() {
        return status;
    }

    /** Azure's error code: {@code ResourceNotFound}, {@code ServerNameAlreadyExists}, ... */
    public String code() {
        return code;
    }

    /** Whether Azure answered {@code status}. */
    public boolean is(int status) {
        return this.status == status;
    }
}
