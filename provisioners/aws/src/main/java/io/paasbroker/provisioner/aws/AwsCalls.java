package io.paasbroker.provisioner.aws;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One AWS call of a step, its failure in the SPI's terms: what may pass (throttling, 5xx, no answer, after the SDK's
 * own retries) is worth the step again; what AWS refused as asked fails the step with AWS's reason, which names no
 * secret.
 */
public final class AwsCalls {

    private AwsCalls() {}

    /** Runs {@code call}; {@code doing} says what for, in the failure's message: {@code creating RDS instance pb-1}. */
    public static <T> T call(String doing, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            if (mayPass(e)) {
                throw new BackingServiceUnavailableException(doing + ": AWS answered " + reason(e), e);
            }
            throw new ProvisioningFailedException(doing + ": AWS refused: " + reason(e), e);
        } catch (SdkClientException e) {
            throw new BackingServiceUnavailableException(doing + ": AWS did not answer: " + e.getMessage(), e);
        }
    }

    /** Whether the same call may succeed later. */
    public static boolean mayPass(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() >= 500 || e.retryable();
    }

    /** The error's code and AWS's message: {@code InvalidParameterValue: Invalid DB Instance class}. */
    public static String reason(AwsServiceException e) {
        if (e.awsErrorDetails() == null) {
            return "HTTP " + e.statusCode();
        }
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    /** Whether AWS refused with this error code. */
    public static boolean is(AwsServiceException e, String code) {
        return e.awsErrorDetails() != null && code.equals(e.awsErrorDetails().errorCode());
    }
}
